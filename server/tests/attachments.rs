//! Attachments against a real server process: nothing that identifies the reporter is kept
//! (EXIF/GPS, XMP, PNG text, PDF author), files are served so that they cannot run on the
//! portal's origin, an upload is its uploader's alone until a report takes it, quotas and the
//! free-disk guard, and unattached uploads that live as long as the outbox retries.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::{Server, complaint};

/// The reporter's name, hidden in every fixture's metadata.
const NAME: &[u8] = b"Siti Rahayu";
/// XMP's namespace, present in every XMP packet.
const XMP_NS: &[u8] = b"http://ns.adobe.com/xap/1.0/";
/// The GPS latitude 6°55'23.39" as EXIF rationals (big-endian): where the photo was taken.
const LATITUDE: [u8; 24] = [
    0, 0, 0, 6, 0, 0, 0, 1, 0, 0, 0, 55, 0, 0, 0, 1, 0, 0, 0x09, 0x23, 0, 0, 0, 100,
];

struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&self.body)))
    }
}

/// One HTTP/1.1 exchange with a binary body either way.
fn exchange(port: u16, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Answer {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        req.push_str(&format!("{name}: {value}\r\n"));
    }
    req.push_str("\r\n");
    let mut raw = req.into_bytes();
    raw.extend_from_slice(body);
    stream.write_all(&raw).unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).unwrap();
    let split = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete head");
    let head = String::from_utf8(answer[..split].to_vec()).unwrap();
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let mut body = answer[split + 4..].to_vec();
    if headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"))
    {
        body = dechunk(&body);
    }
    Answer {
        status,
        headers,
        body,
    }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = b.windows(2).position(|w| w == b"\r\n") {
        let n = usize::from_str_radix(std::str::from_utf8(&b[..end]).unwrap().trim(), 16).unwrap();
        if n == 0 {
            break;
        }
        out.extend_from_slice(&b[end + 2..end + 2 + n]);
        b = &b[end + 4 + n..];
    }
    out
}

fn upload_as(server: &Server, filename: &str, file: &[u8], language: &str) -> Answer {
    let mut body = format!(
        "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(file);
    body.extend_from_slice(b"\r\n--XyZ--\r\n");
    exchange(
        server.port,
        "POST",
        "/api/v1/attachments",
        &[
            ("Content-Type", "multipart/form-data; boundary=XyZ"),
            ("Accept-Language", language),
        ],
        &body,
    )
}

fn upload(server: &Server, filename: &str, file: &[u8]) -> Answer {
    upload_as(server, filename, file, "id")
}

/// Uploads `file`, checks the answer, and returns (id, key, the stored bytes).
fn store(server: &Server, filename: &str, file: &[u8]) -> (String, String, Vec<u8>) {
    let answer = upload(server, filename, file);
    assert_eq!(
        answer.status,
        201,
        "{}",
        String::from_utf8_lossy(&answer.body)
    );
    let json = answer.json();
    let id = json["id"].as_str().unwrap().to_owned();
    // Checked by the key's own test; the others check their point even without one.
    let key = json["key"].as_str().unwrap_or_default().to_owned();
    let stored = download(server, &id, Some(&key));
    assert_eq!(stored.status, 200);
    assert_eq!(
        json["size"].as_u64(),
        Some(stored.body.len() as u64),
        "the size told is the size stored"
    );
    (id, key, stored.body)
}

fn download(server: &Server, id: &str, key: Option<&str>) -> Answer {
    let headers: Vec<(&str, &str)> = key.map(|k| ("X-Upload-Key", k)).into_iter().collect();
    exchange(
        server.port,
        "GET",
        &format!("/api/v1/attachments/{id}"),
        &headers,
        b"",
    )
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn attach(server: &Server, ids: &[&str]) -> Answer {
    let ids: Vec<String> = ids.iter().map(|id| format!("\"{id}\"")).collect();
    let body = complaint(&format!(r#","attachment_ids":[{}]"#, ids.join(",")));
    let key = format!(
        "attach-{}-{}",
        std::process::id(),
        ids.join("-").replace('"', "")
    );
    exchange(
        server.port,
        "POST",
        "/api/v1/reports",
        &[
            ("Idempotency-Key", &key),
            ("Content-Type", "application/json"),
        ],
        body.as_bytes(),
    )
}

// --- Fixtures, built here: real images with the metadata a phone or an office suite adds. ---

/// An EXIF TIFF block (big-endian): the artist's name and a GPS IFD with a position.
fn exif_tiff() -> Vec<u8> {
    let mut t = b"MM\0*\0\0\0\x08".to_vec();
    let entry = |t: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: u32| {
        t.extend(tag.to_be_bytes());
        t.extend(kind.to_be_bytes());
        t.extend(count.to_be_bytes());
        t.extend(value.to_be_bytes());
    };
    // IFD0 at 8: Artist (at 38) and the GPS IFD pointer (to 50).
    t.extend(2u16.to_be_bytes());
    entry(&mut t, 0x013B, 2, 12, 38);
    entry(&mut t, 0x8825, 4, 1, 50);
    t.extend(0u32.to_be_bytes());
    t.extend(NAME);
    t.push(0);
    assert_eq!(t.len(), 50);
    // GPS IFD at 50: latitude S (at 104), longitude E (at 128).
    t.extend(4u16.to_be_bytes());
    entry(&mut t, 0x0001, 2, 2, u32::from_be_bytes(*b"S\0\0\0"));
    entry(&mut t, 0x0002, 5, 3, 104);
    entry(&mut t, 0x0003, 2, 2, u32::from_be_bytes(*b"E\0\0\0"));
    entry(&mut t, 0x0004, 5, 3, 128);
    t.extend(0u32.to_be_bytes());
    assert_eq!(t.len(), 104);
    t.extend(LATITUDE);
    for n in [110u32, 1, 12, 1, 1234, 100] {
        t.extend(n.to_be_bytes());
    }
    t
}

fn xmp_packet() -> Vec<u8> {
    format!(
        "<?xpacket begin='' id='W5M0MpCehiHzreSzNTczkc9d'?><x:xmpmeta xmlns:x='adobe:ns:meta/'>\
         <rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>\
         <rdf:Description xmlns:xmp='{}' xmlns:dc='http://purl.org/dc/elements/1.1/' \
         xmlns:exif='http://ns.adobe.com/exif/1.0/' exif:GPSLatitude='6,55.39S' \
         exif:GPSLongitude='110,12.21E'><dc:creator>{}</dc:creator></rdf:Description>\
         </rdf:RDF></x:xmpmeta><?xpacket end='w'?>",
        String::from_utf8_lossy(XMP_NS),
        String::from_utf8_lossy(NAME)
    )
    .into_bytes()
}

fn picture(width: u32, height: u32) -> image::RgbImage {
    image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x * 7) as u8, (y * 11) as u8, ((x ^ y) * 13) as u8])
    })
}

fn jpeg_segment(marker: u8, payload: &[u8]) -> Vec<u8> {
    let mut s = vec![0xFF, marker];
    s.extend(((payload.len() + 2) as u16).to_be_bytes());
    s.extend_from_slice(payload);
    s
}

/// A JPEG straight from a camera: EXIF with GPS, then an XMP packet, in APP1 segments.
fn jpeg_with_gps(width: u32, height: u32) -> Vec<u8> {
    let mut plain = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut plain, 95)
        .encode_image(&picture(width, height))
        .unwrap();
    let mut exif = b"Exif\0\0".to_vec();
    exif.extend(exif_tiff());
    let mut xmp = XMP_NS.to_vec();
    xmp.push(0);
    xmp.extend(xmp_packet());
    let mut out = plain[..2].to_vec();
    out.extend(jpeg_segment(0xE1, &exif));
    out.extend(jpeg_segment(0xE1, &xmp));
    out.extend(jpeg_segment(0xFE, b"Taken by Siti Rahayu"));
    out.extend_from_slice(&plain[2..]);
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut c = (data.len() as u32).to_be_bytes().to_vec();
    c.extend_from_slice(kind);
    c.extend_from_slice(data);
    c.extend(crc32(&c[4..]).to_be_bytes());
    c
}

/// A PNG with the author in tEXt, EXIF with GPS in eXIf, XMP in iTXt and a tIME stamp.
fn png_with_text() -> Vec<u8> {
    let mut plain = Vec::new();
    image::DynamicImage::ImageRgb8(picture(40, 30))
        .write_to(
            &mut std::io::Cursor::new(&mut plain),
            image::ImageFormat::Png,
        )
        .unwrap();
    let after_ihdr = 8 + 25;
    let mut text = b"Author\0".to_vec();
    text.extend(NAME);
    let mut itxt = b"XML:com.adobe.xmp\0\0\0\0\0".to_vec();
    itxt.extend(xmp_packet());
    let mut out = plain[..after_ihdr].to_vec();
    out.extend(png_chunk(b"tEXt", &text));
    out.extend(png_chunk(b"eXIf", &exif_tiff()));
    out.extend(png_chunk(b"iTXt", &itxt));
    out.extend(png_chunk(b"tIME", &[0x07, 0xEA, 11, 29, 8, 30, 0]));
    out.extend_from_slice(&plain[after_ihdr..]);
    out
}

fn riff_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut c = kind.to_vec();
    c.extend((data.len() as u32).to_le_bytes());
    c.extend_from_slice(data);
    if data.len() % 2 == 1 {
        c.push(0);
    }
    c
}

/// An extended WebP with EXIF and XMP chunks, flagged in its VP8X header.
fn webp_with_exif() -> Vec<u8> {
    let (width, height) = (24u32, 16u32);
    let mut plain = Vec::new();
    image::codecs::webp::WebPEncoder::new_lossless(&mut plain)
        .encode(
            picture(width, height).as_raw(),
            width,
            height,
            image::ExtendedColorType::Rgb8,
        )
        .unwrap();
    assert_eq!(&plain[12..16], b"VP8L");
    let mut vp8x = vec![0x08 | 0x04, 0, 0, 0];
    vp8x.extend(&(width - 1).to_le_bytes()[..3]);
    vp8x.extend(&(height - 1).to_le_bytes()[..3]);
    let mut body = b"WEBP".to_vec();
    body.extend(riff_chunk(b"VP8X", &vp8x));
    body.extend_from_slice(&plain[12..]);
    body.extend(riff_chunk(b"EXIF", &exif_tiff()));
    body.extend(riff_chunk(b"XMP ", &xmp_packet()));
    let mut out = b"RIFF".to_vec();
    out.extend((body.len() as u32).to_le_bytes());
    out.extend(body);
    out
}

/// A PDF as an office suite writes it, edited once: the author, creator and producer in the
/// information dictionary of both revisions, and an XMP stream naming the author.
fn pdf_with_author() -> Vec<u8> {
    let content = "BT /F1 24 Tf 72 720 Td (Jalan rusak di Kendal) Tj ET";
    let xmp = String::from_utf8(xmp_packet()).unwrap();
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R /Metadata 4 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 6 0 R \
         /Resources << /Font << /F1 7 0 R >> >> >>"
            .to_owned(),
        format!(
            "<< /Type /Metadata /Subtype /XML /Length {} >>\nstream\n{xmp}\nendstream",
            xmp.len()
        ),
        "<< /Author (Siti Rahayu) /Creator (Kantor Desa Sukamaju) /Producer (LibreOffice 7.4) \
         /Title (Laporan dana desa) >>"
            .to_owned(),
        format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        ),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    let mut out = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n{body}\nendobj\n", i + 1).into_bytes());
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).into_bytes());
    for offset in offsets {
        out.extend(format!("{offset:010} 00000 n \n").into_bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R /Info 5 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .into_bytes(),
    );
    // An incremental update: a new information dictionary; the first one stays in the file.
    let info = out.len();
    out.extend(
        b"8 0 obj\n<< /Author (Siti Rahayu) /Title (Laporan dana desa, revisi) \
          /ModDate (D:20261101120000+07'00') >>\nendobj\n",
    );
    let xref2 = out.len();
    out.extend(
        format!(
            "xref\n8 1\n{info:010} 00000 n \ntrailer\n<< /Size 9 /Root 1 0 R /Info 8 0 R \
             /Prev {xref} >>\nstartxref\n{xref2}\n%%EOF\n"
        )
        .into_bytes(),
    );
    out
}

fn assert_no_metadata(kind: &str, stored: &[u8]) {
    for (what, needle) in [
        ("the reporter's name", NAME),
        ("an XMP packet", XMP_NS),
        ("XMP", b"xmpmeta".as_slice()),
        ("EXIF", b"Exif\0\0".as_slice()),
        ("a GPS position", LATITUDE.as_slice()),
    ] {
        assert!(!contains(stored, needle), "{kind}: {what} was stored");
    }
}

#[test]
fn photos_and_pdfs_lose_gps_exif_xmp_and_author_whoever_uploads_them() {
    let server = Server::start("att-scrub");

    // JPEG: EXIF (GPS, artist), XMP and a comment go; the picture stays.
    let original = jpeg_with_gps(64, 48);
    assert!(contains(&original, &LATITUDE) && contains(&original, NAME));
    image::load_from_memory(&original).expect("the fixture is a real JPEG");
    let (_, _, stored) = store(&server, "IMG_2041.jpg", &original);
    assert_no_metadata("JPEG", &stored);
    assert!(
        !contains(&stored, b"Taken by"),
        "JPEG: the comment was stored"
    );
    let decoded = image::load_from_memory_with_format(&stored, image::ImageFormat::Jpeg)
        .expect("the stored JPEG decodes");
    assert_eq!((decoded.width(), decoded.height()), (64, 48));
    assert!(contains(&stored, b"JFIF\0"), "what decoders need stays");

    // PNG: tEXt, eXIf, iTXt and tIME go; every other chunk (and its CRC) stays.
    let original = png_with_text();
    image::load_from_memory(&original).expect("the fixture is a real PNG");
    let (_, _, stored) = store(&server, "peta.png", &original);
    assert_no_metadata("PNG", &stored);
    for chunk in [b"tEXt", b"eXIf", b"iTXt", b"tIME"] {
        assert!(!contains(&stored, chunk), "PNG: {chunk:?} kept");
    }
    let decoded = image::load_from_memory_with_format(&stored, image::ImageFormat::Png)
        .expect("the stored PNG decodes");
    assert_eq!(
        decoded.to_rgb8(),
        picture(40, 30),
        "the pixels are untouched"
    );

    // WebP: the EXIF and XMP chunks go, and so do their flags in the VP8X header.
    let original = webp_with_exif();
    image::load_from_memory(&original).expect("the fixture is a real WebP");
    let (_, _, stored) = store(&server, "foto.webp", &original);
    assert_no_metadata("WebP", &stored);
    assert_eq!(&stored[12..16], b"VP8X");
    assert_eq!(stored[20] & 0x0C, 0, "EXIF/XMP flags cleared");
    assert_eq!(
        u32::from_le_bytes(stored[4..8].try_into().unwrap()) as usize,
        stored.len() - 8,
        "the RIFF size is the new size"
    );
    let decoded = image::load_from_memory_with_format(&stored, image::ImageFormat::WebP)
        .expect("the stored WebP decodes");
    assert_eq!(decoded.to_rgb8(), picture(24, 16));

    // PDF: both revisions' information dictionaries and the XMP stream go; the page stays.
    let original = pdf_with_author();
    let doc = lopdf::Document::load_mem(&original).expect("the fixture is a real PDF");
    assert_eq!(doc.get_pages().len(), 1);
    let (_, _, stored) = store(&server, "laporan.pdf", &original);
    assert_no_metadata("PDF", &stored);
    for needle in [
        b"/Author".as_slice(),
        b"/Creator",
        b"/Producer",
        b"/Metadata",
        b"LibreOffice",
        b"Sukamaju",
        b"/ModDate",
    ] {
        assert!(
            !contains(&stored, needle),
            "PDF: {} was stored",
            String::from_utf8_lossy(needle)
        );
    }
    let doc = lopdf::Document::load_mem(&stored).expect("the stored PDF opens");
    assert!(doc.trailer.get(b"Info").is_err());
    let pages = doc.get_pages();
    assert_eq!(pages.len(), 1);
    let content = doc.get_page_content(pages[&1]);
    assert!(contains(&content, b"(Jalan rusak di Kendal) Tj"));
}

#[test]
fn files_whose_metadata_cannot_be_removed_are_refused_in_the_request_language() {
    let server = Server::start("att-refuse");
    let truncated = &jpeg_with_gps(16, 16)[..300];
    let r = upload(&server, "a.jpg", truncated);
    assert_eq!(r.status, 422);
    assert_eq!(r.header("content-type"), Some("application/problem+json"));
    assert_eq!(r.json()["title"], "Berkas rusak");
    let r = upload_as(&server, "a.pdf", b"%PDF-1.4 no objects at all", "en");
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["title"], "Damaged file");
    let conn = rusqlite::Connection::open(server.data.join("lapor.sqlite3")).unwrap();
    let n: i64 = conn
        .query_row("SELECT COUNT(*) FROM attachments", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 0, "nothing was stored");
}

#[test]
fn files_are_served_so_that_they_cannot_run_on_the_portal() {
    let server = Server::start("att-headers");
    let (pdf, _, _) = store(&server, "laporan; x=y, é.pdf", &pdf_with_author());
    let (photo, _, _) = store(&server, "foto jalan é.jpg", &jpeg_with_gps(16, 16));
    let r = attach(&server, &[&pdf, &photo]);
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));

    let r = download(&server, &pdf, None);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/pdf"));
    assert_eq!(r.header("content-security-policy"), Some("sandbox"));
    assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    // Downloaded, never shown on the portal's origin; the name cannot add parameters.
    assert_eq!(
        r.header("content-disposition"),
        Some(
            "attachment; filename=\"laporan_ x_y_ _.pdf\"; \
             filename*=UTF-8''laporan%3B%20x%3Dy%2C%20%C3%A9.pdf"
        )
    );

    let r = download(&server, &photo, None);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("image/jpeg"));
    assert_eq!(r.header("content-security-policy"), Some("sandbox"));
    assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(
        r.header("content-disposition"),
        Some("inline; filename=\"foto jalan _.jpg\"; filename*=UTF-8''foto%20jalan%20%C3%A9.jpg")
    );
}

#[test]
fn an_upload_is_its_uploaders_alone_until_a_report_takes_it() {
    let server = Server::start("att-key");
    let (id, key, stored) = store(&server, "foto.jpg", &jpeg_with_gps(16, 16));
    assert!(key.len() >= 32, "the key is a real secret: {key}");

    // Without the key, or with another, the upload does not exist.
    let anonymous = download(&server, &id, None);
    assert_eq!(anonymous.status, 404);
    assert_eq!(
        anonymous.header("content-type"),
        Some("application/problem+json")
    );
    assert_eq!(
        download(&server, &id, Some("0123456789abcdef0123456789abcdef")).status,
        404
    );
    let missing = download(&server, "00000000000000000000000000000000", None);
    assert_eq!(
        missing.body, anonymous.body,
        "the same answer as an unknown id"
    );

    // With it, the uploader reads it back, and no cache keeps it.
    let own = download(&server, &id, Some(&key));
    assert_eq!(own.status, 200);
    assert_eq!(own.body, stored);
    assert!(own.header("cache-control").unwrap().contains("no-store"));

    // Once a report takes it, the report's rules apply: the key is no longer needed.
    let r = attach(&server, &[&id]);
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    let public = download(&server, &id, None);
    assert_eq!(public.status, 200);
    assert_eq!(public.body, stored);
}

#[test]
fn each_client_has_a_daily_upload_quota() {
    let server = Server::start_with("att-quota", &["--upload-daily-files", "2"]);
    let photo = jpeg_with_gps(16, 16);
    assert_eq!(upload(&server, "1.jpg", &photo).status, 201);
    assert_eq!(upload(&server, "2.jpg", &photo).status, 201);
    let refused = upload(&server, "3.jpg", &photo);
    assert_eq!(refused.status, 429);
    assert_eq!(
        refused.header("content-type"),
        Some("application/problem+json")
    );
    let wait: u64 = refused.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=86_400).contains(&wait), "until the day ends: {wait}");
    assert_eq!(refused.json()["title"], "Batas unggahan harian tercapai");
    let refused = upload_as(&server, "3.jpg", &photo, "en");
    assert_eq!(refused.status, 429);
    assert_eq!(refused.json()["title"], "Daily upload limit reached");

    // Bytes count too: one large photo is over a small byte quota.
    let server = Server::start_with("att-quota-bytes", &["--upload-daily-bytes", "4K"]);
    let large = jpeg_with_gps(256, 256);
    assert!(large.len() > 4096);
    assert_eq!(upload(&server, "small.jpg", &photo).status, 201);
    let refused = upload(&server, "large.jpg", &large);
    assert_eq!(refused.status, 429);
    assert!(refused.header("retry-after").is_some());
}

#[test]
fn a_disk_short_of_space_refuses_uploads_and_reports_with_507() {
    let server = Server::start_with("att-disk", &["--min-free-disk", "1000000G"]);
    let r = upload(&server, "foto.jpg", &jpeg_with_gps(16, 16));
    assert_eq!(r.status, 507);
    assert_eq!(r.header("content-type"), Some("application/problem+json"));
    assert_eq!(r.json()["title"], "Penyimpanan server penuh");
    let r = exchange(
        server.port,
        "POST",
        "/api/v1/reports",
        &[
            ("Idempotency-Key", "disk-full"),
            ("Content-Type", "application/json"),
            ("Accept-Language", "en"),
        ],
        complaint("").as_bytes(),
    );
    assert_eq!(r.status, 507, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.json()["title"], "Server storage full");
    let conn = rusqlite::Connection::open(server.data.join("lapor.sqlite3")).unwrap();
    let n: i64 = conn
        .query_row("SELECT COUNT(*) FROM reports", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 0);
}

#[test]
fn unattached_uploads_wait_as_long_as_the_outbox_retries() {
    let mut server = Server::start("att-retention");
    let photo = jpeg_with_gps(16, 16);
    let (waiting, _, _) = store(&server, "menunggu.jpg", &photo);
    let (forgotten, _, _) = store(&server, "terlupa.jpg", &photo);
    let data = server.data.clone();
    let db = || {
        let conn = rusqlite::Connection::open(data.join("lapor.sqlite3")).unwrap();
        conn.busy_timeout(Duration::from_secs(10)).unwrap();
        conn
    };
    let days_ago = |days: i64| {
        (chrono::Utc::now() - chrono::Duration::days(days))
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    };
    let retention = i64::from(lapor_core::retention::SERVER_RETENTION_DAYS);
    // One sent two days ago from a phone that has been offline since; one older than any
    // retry.
    db().execute(
        "UPDATE attachments SET created_at = ?1 WHERE id = ?2",
        rusqlite::params![days_ago(2), waiting],
    )
    .unwrap();
    db().execute(
        "UPDATE attachments SET created_at = ?1 WHERE id = ?2",
        rusqlite::params![days_ago(retention + 1), forgotten],
    )
    .unwrap();
    // Others keep uploading, and the server restarts (its purge runs at start).
    let (_, _, _) = store(&server, "lain.jpg", &photo);
    server.kill_hard();
    let server = Server::start_on(data.clone());
    let exists = |id: &str| -> bool {
        db().query_row(
            "SELECT EXISTS (SELECT 1 FROM attachments WHERE id = ?1)",
            [id],
            |r| r.get(0),
        )
        .unwrap()
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while exists(&forgotten) {
        assert!(
            Instant::now() < deadline,
            "an expired upload was not purged"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(exists(&waiting));
    // The outbox finally sends the report that names the two-day-old photo.
    let r = attach(&server, &[&waiting]);
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    let tracking = r.json()["tracking_id"].as_str().unwrap().to_owned();
    let joined: String = db()
        .query_row(
            "SELECT r.tracking_id FROM attachments a JOIN reports r ON r.id = a.report_id
             WHERE a.id = ?1",
            [&waiting],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(joined, tracking.replace('-', ""));
}

#[test]
fn a_confidential_reports_files_are_never_stored_by_caches() {
    let server = Server::start("attach-confidential");
    let png = png_with_text();
    let mut ids = Vec::new();
    for confidential in [true, false] {
        let (id, _, _) = store(&server, "foto.png", &png);
        let extra = format!(r#","confidential":{confidential},"attachment_ids":["{id}"]"#);
        server.create(&common::complaint(&extra));
        ids.push(id);
    }
    let secret = download(&server, &ids[0], None);
    assert_eq!(secret.status, 200);
    assert_eq!(secret.header("cache-control"), Some("private, no-store"));
    let public = download(&server, &ids[1], None);
    assert_eq!(public.status, 200);
    assert_ne!(public.header("cache-control"), Some("private, no-store"));
}
