//! Photos are downscaled and re-encoded on the device before upload, so that a 12 MB camera
//! photo becomes a few hundred KB on a slow connection. Re-encoding through a canvas also drops
//! EXIF metadata, GPS location included.

use js_sys::Promise;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, CanvasRenderingContext2d, HtmlCanvasElement};

/// The longest side of an uploaded photo, in pixels.
pub const MAX_SIDE: u32 = 1600;
pub const JPEG_QUALITY: f64 = 0.82;

/// The size that fits `(width, height)` within `max_side`, never enlarging.
pub fn fit(width: u32, height: u32, max_side: u32) -> (u32, u32) {
    let longest = width.max(height).max(1);
    if longest <= max_side {
        return (width, height);
    }
    let scale = f64::from(max_side) / f64::from(longest);
    let scaled = |v: u32| ((f64::from(v) * scale).round() as u32).max(1);
    (scaled(width), scaled(height))
}

/// Decodes an image (respecting its EXIF orientation), scales it to fit [`MAX_SIDE`] and
/// re-encodes it as JPEG.
pub async fn downscale_to_jpeg(file: &Blob) -> Result<Blob, JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    let bitmap: web_sys::ImageBitmap = JsFuture::from(window.create_image_bitmap_with_blob(file)?)
        .await?
        .dyn_into()?;
    let (width, height) = fit(bitmap.width(), bitmap.height(), MAX_SIDE);
    let document = window.document().ok_or("no document")?;
    let canvas: HtmlCanvasElement = document.create_element("canvas")?.dyn_into()?;
    canvas.set_width(width);
    canvas.set_height(height);
    let context: CanvasRenderingContext2d = canvas
        .get_context("2d")?
        .ok_or("no 2d context")?
        .dyn_into()?;
    context.draw_image_with_image_bitmap_and_dw_and_dh(
        &bitmap,
        0.0,
        0.0,
        width.into(),
        height.into(),
    )?;
    bitmap.close();

    let mut settle = None;
    let encoded = Promise::new(&mut |resolve, _| settle = Some(resolve));
    let resolve = settle.expect("the Promise executor runs at once");
    let on_blob = Closure::<dyn FnMut(JsValue)>::new(move |blob: JsValue| {
        let _ = resolve.call1(&JsValue::NULL, &blob);
    });
    canvas.to_blob_with_type_and_encoder_options(
        on_blob.as_ref().unchecked_ref(),
        "image/jpeg",
        &JsValue::from(JPEG_QUALITY),
    )?;
    let blob = JsFuture::from(encoded).await?;
    drop(on_blob);
    blob.dyn_into::<Blob>()
}

/// `IMG_2041.HEIC` → `IMG_2041.jpg`: the re-encoded photo is a JPEG.
pub fn jpeg_name(name: &str) -> String {
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    format!("{stem}.jpg")
}

#[cfg(test)]
mod tests {
    use super::{fit, jpeg_name};

    #[test]
    fn re_encoded_photos_are_named_jpeg() {
        assert_eq!(jpeg_name("IMG_2041.PNG"), "IMG_2041.jpg");
        assert_eq!(jpeg_name("foto"), "foto.jpg");
    }

    #[test]
    fn fits_the_longest_side_and_never_enlarges() {
        assert_eq!(fit(4000, 3000, 1600), (1600, 1200));
        assert_eq!(fit(3000, 4000, 1600), (1200, 1600));
        assert_eq!(fit(800, 600, 1600), (800, 600));
        assert_eq!(fit(10000, 1, 1600), (1600, 1));
    }
}
