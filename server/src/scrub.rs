//! What a stored file may not keep: metadata that can identify a reporter (a photo's GPS
//! position, camera serial and time, a document's author and the software that made it).
//!
//! Every upload passes through [`scrub`] before it is stored, whoever sent it: the web app
//! re-encodes photos on the device, but the API and Open311 clients do not. Images are cleaned
//! by walking their containers and copying only what is needed to show them; PDFs are rewritten
//! by `lopdf` without their information dictionary and XMP streams. A file that cannot be
//! walked (damaged, truncated, encrypted) is refused rather than stored with its metadata.

use std::collections::BTreeSet;

use lopdf::{Document, Object, ObjectId};

/// Why a file could not be cleaned, so it is not stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unclean {
    /// The file's structure is broken or truncated.
    Damaged,
    /// An encrypted PDF: its metadata cannot be removed without the password.
    Encrypted,
}

/// The file without its identifying metadata, or why it cannot be stored. `content_type` is
/// the type sniffed from the content (`image/jpeg`, `image/png`, `image/webp`,
/// `application/pdf`); other types are returned unchanged.
pub fn scrub(content_type: &str, bytes: &[u8]) -> Result<Vec<u8>, Unclean> {
    match content_type {
        "image/jpeg" => jpeg(bytes),
        "image/png" => png(bytes),
        "image/webp" => webp(bytes),
        // lopdf is a parser of untrusted input: a panic in it refuses this file, nothing more.
        "application/pdf" => {
            std::panic::catch_unwind(|| pdf(bytes)).unwrap_or(Err(Unclean::Damaged))
        }
        _ => Ok(bytes.to_vec()),
    }
}

/// JPEG: the segments before and between scans are copied except APP1 (EXIF, XMP), APP13
/// (IPTC/Photoshop), COM and every other APPn but JFIF (APP0), ICC profiles (APP2) and Adobe
/// colour transforms (APP14), which decoders need. Nothing after the end-of-image marker is
/// kept (phones append second images with their own EXIF there).
fn jpeg(b: &[u8]) -> Result<Vec<u8>, Unclean> {
    if !b.starts_with(&[0xFF, 0xD8]) {
        return Err(Unclean::Damaged);
    }
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(&[0xFF, 0xD8]);
    let mut i = 2;
    let mut scanned = false;
    loop {
        if b.get(i) != Some(&0xFF) {
            return Err(Unclean::Damaged);
        }
        // Fill bytes: any number of 0xFF before the marker.
        while b.get(i) == Some(&0xFF) {
            i += 1;
        }
        let marker = *b.get(i).ok_or(Unclean::Damaged)?;
        i += 1;
        match marker {
            0xD9 => {
                if !scanned {
                    return Err(Unclean::Damaged);
                }
                out.extend_from_slice(&[0xFF, 0xD9]);
                return Ok(out);
            }
            // Markers without a length: restart markers and TEM.
            0x01 | 0xD0..=0xD7 => out.extend_from_slice(&[0xFF, marker]),
            0x00 | 0xD8 => return Err(Unclean::Damaged),
            _ => {
                let len = b
                    .get(i..i + 2)
                    .map(|l| usize::from(u16::from_be_bytes([l[0], l[1]])))
                    .filter(|&l| l >= 2)
                    .ok_or(Unclean::Damaged)?;
                let segment = b.get(i..i + len).ok_or(Unclean::Damaged)?;
                let payload = &segment[2..];
                let keep = match marker {
                    0xE0 => payload.starts_with(b"JFIF\0"),
                    0xE2 => payload.starts_with(b"ICC_PROFILE\0"),
                    0xEE => payload.starts_with(b"Adobe"),
                    0xE1..=0xEF | 0xFE => false,
                    _ => true,
                };
                if keep {
                    out.extend_from_slice(&[0xFF, marker]);
                    out.extend_from_slice(segment);
                }
                i += len;
                if marker == 0xDA {
                    scanned = true;
                    // Entropy-coded data runs to the next marker that is neither a stuffed
                    // zero nor a restart marker.
                    let start = i;
                    while i < b.len() {
                        if b[i] == 0xFF {
                            match b.get(i + 1) {
                                Some(0x00 | 0xD0..=0xD7) => i += 2,
                                _ => break,
                            }
                        } else {
                            i += 1;
                        }
                    }
                    out.extend_from_slice(&b[start..i.min(b.len())]);
                    if i >= b.len() {
                        // Cameras sometimes cut the end-of-image marker; the scan is whole.
                        out.extend_from_slice(&[0xFF, 0xD9]);
                        return Ok(out);
                    }
                }
            }
        }
    }
}

/// PNG chunks that carry text, EXIF or a modification time.
const PNG_METADATA: [&[u8; 4]; 5] = [b"eXIf", b"tEXt", b"zTXt", b"iTXt", b"tIME"];

/// PNG: every chunk is copied except [`PNG_METADATA`]; nothing after `IEND` is kept.
fn png(b: &[u8]) -> Result<Vec<u8>, Unclean> {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    if !b.starts_with(SIGNATURE) {
        return Err(Unclean::Damaged);
    }
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(SIGNATURE);
    let mut i = SIGNATURE.len();
    let mut first = true;
    loop {
        let head = b.get(i..i + 8).ok_or(Unclean::Damaged)?;
        let len = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as usize;
        let kind: [u8; 4] = [head[4], head[5], head[6], head[7]];
        let end = (i + 12).checked_add(len).ok_or(Unclean::Damaged)?;
        let chunk = b.get(i..end).ok_or(Unclean::Damaged)?;
        if first && &kind != b"IHDR" {
            return Err(Unclean::Damaged);
        }
        first = false;
        if !PNG_METADATA.contains(&&kind) {
            out.extend_from_slice(chunk);
        }
        if &kind == b"IEND" {
            return Ok(out);
        }
        i = end;
    }
}

/// WebP: the RIFF chunks are copied except `EXIF` and `XMP `, and the extended header's
/// flags for them are cleared; nothing after the RIFF container is kept.
fn webp(b: &[u8]) -> Result<Vec<u8>, Unclean> {
    const EXIF_FLAG: u8 = 0x08;
    const XMP_FLAG: u8 = 0x04;
    if b.len() < 12 || &b[..4] != b"RIFF" || &b[8..12] != b"WEBP" {
        return Err(Unclean::Damaged);
    }
    let riff_len = u32::from_le_bytes([b[4], b[5], b[6], b[7]]) as usize;
    let end = 8usize.checked_add(riff_len).ok_or(Unclean::Damaged)?;
    let body = b.get(12..end).ok_or(Unclean::Damaged)?;
    let mut chunks = Vec::with_capacity(body.len());
    let mut i = 0;
    let mut image = false;
    while i < body.len() {
        let head = body.get(i..i + 8).ok_or(Unclean::Damaged)?;
        let kind = &head[..4];
        let len = u32::from_le_bytes([head[4], head[5], head[6], head[7]]) as usize;
        let padded = len + (len & 1);
        let next = (i + 8).checked_add(padded).ok_or(Unclean::Damaged)?;
        // The last chunk's padding byte is sometimes missing.
        let chunk = body
            .get(i..next)
            .or_else(|| body.get(i..i + 8 + len))
            .ok_or(Unclean::Damaged)?;
        match kind {
            b"EXIF" | b"XMP " => {}
            b"VP8X" => {
                let mut chunk = chunk.to_vec();
                *chunk.get_mut(8).ok_or(Unclean::Damaged)? &= !(EXIF_FLAG | XMP_FLAG);
                chunks.extend_from_slice(&chunk);
            }
            _ => {
                image |= matches!(kind, b"VP8 " | b"VP8L" | b"ANMF");
                chunks.extend_from_slice(chunk);
                if chunk.len() % 2 == 1 {
                    chunks.push(0);
                }
            }
        }
        i = next;
    }
    if !image {
        return Err(Unclean::Damaged);
    }
    let len = u32::try_from(chunks.len() + 4).map_err(|_| Unclean::Damaged)?;
    let mut out = Vec::with_capacity(chunks.len() + 12);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(b"WEBP");
    out.extend_from_slice(&chunks);
    Ok(out)
}

/// Dictionary entries that hold metadata rather than content: XMP streams, applications'
/// private data, and the last-modified stamp.
const PDF_METADATA_KEYS: [&[u8]; 3] = [b"Metadata", b"PieceInfo", b"LastModified"];

/// PDF: loaded whole (every incremental update merged), the trailer's information dictionary
/// and file identifiers dropped, every XMP stream and metadata entry removed, objects no
/// longer referenced pruned, and written out as one revision, so no earlier revision's
/// metadata survives at the end of the file either.
fn pdf(b: &[u8]) -> Result<Vec<u8>, Unclean> {
    let mut doc = Document::load_mem(b).map_err(|_| Unclean::Damaged)?;
    if doc.is_encrypted() || doc.was_encrypted() {
        return Err(Unclean::Encrypted);
    }
    doc.catalog().map_err(|_| Unclean::Damaged)?;
    doc.trailer.remove(b"Info");
    doc.trailer.remove(b"ID");
    let metadata_streams: BTreeSet<ObjectId> = doc
        .objects
        .iter()
        .filter(|(_, object)| is_metadata_stream(object))
        .map(|(id, _)| *id)
        .collect();
    for id in &metadata_streams {
        doc.objects.remove(id);
    }
    for object in doc.objects.values_mut() {
        remove_metadata_entries(object);
    }
    doc.prune_objects();
    let mut out = Vec::with_capacity(b.len());
    doc.save_to(&mut out).map_err(|_| Unclean::Damaged)?;
    // What is stored must open again.
    Document::load_mem(&out).map_err(|_| Unclean::Damaged)?;
    Ok(out)
}

fn is_metadata_stream(object: &Object) -> bool {
    let Object::Stream(stream) = object else {
        return false;
    };
    let named = |key: &[u8], value: &[u8]| {
        stream
            .dict
            .get(key)
            .and_then(Object::as_name)
            .is_ok_and(|n| n == value)
    };
    named(b"Type", b"Metadata") || named(b"Subtype", b"XML")
}

fn remove_metadata_entries(object: &mut Object) {
    let dict = match object {
        Object::Dictionary(dict) => dict,
        Object::Stream(stream) => &mut stream.dict,
        Object::Array(items) => {
            items.iter_mut().for_each(remove_metadata_entries);
            return;
        }
        _ => return,
    };
    for key in PDF_METADATA_KEYS {
        dict.remove(key);
    }
    for (_, value) in dict.iter_mut() {
        remove_metadata_entries(value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A JPEG's segments as (marker, payload), to check what was kept.
    fn markers(b: &[u8]) -> Vec<u8> {
        let mut found = Vec::new();
        let mut i = 2;
        while i + 4 <= b.len() && b[i] == 0xFF {
            let marker = b[i + 1];
            found.push(marker);
            if marker == 0xDA || marker == 0xD9 {
                break;
            }
            i += 2 + usize::from(u16::from_be_bytes([b[i + 2], b[i + 3]]));
        }
        found
    }

    fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
        let mut s = vec![0xFF, marker];
        s.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
        s.extend_from_slice(payload);
        s
    }

    #[test]
    fn jpeg_keeps_what_decoders_need_and_drops_the_rest() {
        let mut b = vec![0xFF, 0xD8];
        b.extend(segment(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"));
        b.extend(segment(0xE1, b"Exif\0\0GPS SECRET"));
        b.extend(segment(
            0xE1,
            b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>SECRET",
        ));
        b.extend(segment(0xE2, b"ICC_PROFILE\0\x01\x01profile"));
        b.extend(segment(0xE2, b"MPF\0SECRET"));
        b.extend(segment(0xED, b"Photoshop 3.0\0SECRET"));
        b.extend(segment(0xEE, b"Adobe\0\x64\0\0\0\0\x01"));
        b.extend(segment(0xFE, b"SECRET comment"));
        b.extend(segment(0xDB, &[0; 65]));
        b.extend(segment(0xC0, &[8, 0, 1, 0, 1, 1, 1, 0x11, 0]));
        b.extend(segment(0xDA, &[1, 1, 0, 0, 0x3F, 0]));
        b.extend([0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56]);
        b.extend(segment(0xE1, b"Exif\0\0SECRET between scans"));
        b.extend(segment(0xDA, &[1, 1, 0, 0, 0x3F, 0]));
        b.extend([0x78]);
        b.extend([0xFF, 0xD9]);
        b.extend(b"\xFF\xD8trailing second image SECRET");
        let clean = jpeg(&b).unwrap();
        assert!(!clean.windows(6).any(|w| w == b"SECRET"));
        assert_eq!(markers(&clean), [0xE0, 0xE2, 0xEE, 0xDB, 0xC0, 0xDA]);
        // The entropy-coded data, stuffed bytes and restart markers included, is untouched.
        assert!(
            clean
                .windows(7)
                .any(|w| w == [0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56])
        );
        assert!(clean.ends_with(&[0x78, 0xFF, 0xD9]));
    }

    #[test]
    fn damaged_images_are_refused() {
        assert_eq!(jpeg(&[0xFF, 0xD8, 0xFF]), Err(Unclean::Damaged));
        assert_eq!(
            jpeg(&[0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF, 1]),
            Err(Unclean::Damaged)
        );
        assert_eq!(jpeg(&[0xFF, 0xD8, 0xFF, 0xD9]), Err(Unclean::Damaged));
        assert_eq!(
            png(b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR"),
            Err(Unclean::Damaged)
        );
        assert_eq!(webp(b"RIFF\x04\0\0\0WEBP"), Err(Unclean::Damaged));
        assert_eq!(
            scrub("application/pdf", b"%PDF-1.4 test"),
            Err(Unclean::Damaged)
        );
    }

    #[test]
    fn webp_loses_exif_and_xmp_chunks_and_their_flags() {
        let chunk = |kind: &[u8; 4], data: &[u8]| {
            let mut c = kind.to_vec();
            c.extend_from_slice(&(data.len() as u32).to_le_bytes());
            c.extend_from_slice(data);
            if data.len() % 2 == 1 {
                c.push(0);
            }
            c
        };
        let mut body = b"WEBP".to_vec();
        body.extend(chunk(b"VP8X", &[0x2C, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
        body.extend(chunk(b"ICCP", b"profile"));
        body.extend(chunk(b"VP8L", b"\x2f\0\0\0\0"));
        body.extend(chunk(b"EXIF", b"MM\0*GPS SECRET"));
        body.extend(chunk(b"XMP ", b"<x:xmpmeta>SECRET</x:xmpmeta>"));
        let mut b = b"RIFF".to_vec();
        b.extend((body.len() as u32).to_le_bytes());
        b.extend(body);
        b.extend(b"after the container SECRET");
        let clean = webp(&b).unwrap();
        assert!(!clean.windows(6).any(|w| w == b"SECRET"));
        assert_eq!(
            u32::from_le_bytes(clean[4..8].try_into().unwrap()) as usize,
            clean.len() - 8
        );
        assert_eq!(clean[20], 0x20, "only the ICC flag is left");
        assert!(clean.windows(4).any(|w| w == b"ICCP"));
        assert!(clean.windows(4).any(|w| w == b"VP8L"));
    }
}
