//! Why a server refuses a request, beyond one field's rule ([`validation::Rule`]): each
//! refusal has its HTTP status, a stable code, and a title and a message in both languages,
//! so every problem+json answer speaks the request's language and none is spelled twice. What
//! a reporter may not do now ([`permissions::Refusal`]) is one kind of refusal here.
//!
//! [`validation::Rule`]: crate::validation::Rule

use crate::permissions;
use crate::{Locale, Status};

/// Why a request is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Fields break their rules; the field errors say which (`validation::Violation`).
    InvalidFields,
    /// A new report needs an `Idempotency-Key` header.
    IdempotencyKeyRequired,
    /// The `Idempotency-Key` was used before with another request body.
    IdempotencyKeyReused,
    /// Supporting a report (or withdrawing support) needs the device's `Idempotency-Key` for
    /// it: the supporter's identity, so a device counts once.
    SupporterKeyRequired,
    /// Unknown and malformed tracking numbers alike.
    ReportNotFound,
    AttachmentNotFound,
    /// No such endpoint.
    NotFound,
    /// The action needs the report's access code (`X-Access-Code`).
    AccessCodeRequired,
    WrongAccessCode,
    /// The admin API needs its bearer token, and this one is missing or wrong.
    AdminTokenRequired,
    /// The lifecycle does not allow this move (`Status::can_move_to`).
    TransitionNotAllowed {
        from: Status,
        to: Status,
    },
    /// An admin event with neither a new status nor a message.
    NothingToRecord,
    /// What a reporter may not do with the report now.
    NotAllowedNow(permissions::Refusal),
    /// Too many requests of one kind (writes, lookups) from this client.
    TooManyRequests {
        seconds: u64,
    },
    /// Too many wrong secrets from this client or for this target.
    TooManyFailures {
        seconds: u64,
    },
    /// Too many uploads in flight from this client.
    TooManyUploads {
        seconds: u64,
    },
    /// Too many uploads in flight on the whole server.
    ServerBusy {
        seconds: u64,
    },
    /// This client's daily upload quota is used up.
    DailyUploadLimit {
        seconds: u64,
    },
    /// The server's disk is short of free space.
    StorageFull,
    /// The request (mostly its body) took longer than the server waits.
    RequestTimeout {
        seconds: u64,
    },
    /// A query parameter the endpoint does not know (`name` as the client sent it, shortened).
    UnknownParameter {
        name: String,
    },
    ParameterTooLong {
        name: String,
        max: usize,
    },
    /// A number parameter outside its bounds (a list's `limit` above its maximum).
    ParameterOutOfRange {
        name: String,
        min: u64,
        max: u64,
    },
    /// A query string that cannot be read.
    InvalidParameters,
    /// The JSON body is larger than the server takes.
    RequestTooLarge,
    /// The body is not declared as JSON.
    ExpectedJson,
    /// JSON of the wrong shape (a missing or mistyped member).
    InvalidBody,
    /// Not JSON at all.
    MalformedBody,
    /// A multipart upload that cannot be read.
    MalformedUpload,
    /// An upload without a `file` field.
    MissingFile,
    FileTooLarge {
        max_mb: u64,
    },
    FileTypeNotAccepted,
    /// A file too damaged for its hidden data to be removed.
    DamagedFile,
    /// A password-protected PDF, whose author data cannot be removed.
    LockedPdf,
    /// A confidential report for a backend that cannot keep one (Open311 lists every request):
    /// sent anyway, its text would be public.
    ConfidentialNotSupported,
    Internal,
}

impl Refusal {
    /// The problem+json answer, in `locale`.
    pub fn problem(&self, locale: Locale) -> crate::api::Problem {
        crate::api::Problem {
            detail: Some(self.message(locale)),
            ..crate::api::Problem::new(self.status(), self.title(locale))
        }
    }

    /// The HTTP status of the problem+json answer.
    pub fn status(&self) -> u16 {
        match self {
            Refusal::InvalidFields | Refusal::NothingToRecord => 422,
            Refusal::DamagedFile | Refusal::LockedPdf | Refusal::InvalidBody => 422,
            Refusal::ConfidentialNotSupported => 422,
            Refusal::IdempotencyKeyRequired
            | Refusal::SupporterKeyRequired
            | Refusal::UnknownParameter { .. }
            | Refusal::ParameterTooLong { .. }
            | Refusal::ParameterOutOfRange { .. }
            | Refusal::InvalidParameters
            | Refusal::MalformedBody
            | Refusal::MalformedUpload
            | Refusal::MissingFile => 400,
            Refusal::IdempotencyKeyReused
            | Refusal::TransitionNotAllowed { .. }
            | Refusal::NotAllowedNow(_) => 409,
            Refusal::ReportNotFound | Refusal::AttachmentNotFound | Refusal::NotFound => 404,
            Refusal::AccessCodeRequired | Refusal::AdminTokenRequired => 401,
            Refusal::WrongAccessCode => 403,
            Refusal::TooManyRequests { .. }
            | Refusal::TooManyFailures { .. }
            | Refusal::TooManyUploads { .. }
            | Refusal::DailyUploadLimit { .. } => 429,
            Refusal::ServerBusy { .. } => 503,
            Refusal::StorageFull => 507,
            Refusal::RequestTimeout { .. } => 408,
            Refusal::RequestTooLarge | Refusal::FileTooLarge { .. } => 413,
            Refusal::ExpectedJson | Refusal::FileTypeNotAccepted => 415,
            Refusal::Internal => 500,
        }
    }

    /// A stable code for clients and tests, whatever the language.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::InvalidFields => "invalid_fields",
            Refusal::IdempotencyKeyRequired => "idempotency_key_required",
            Refusal::IdempotencyKeyReused => "idempotency_key_reused",
            Refusal::SupporterKeyRequired => "supporter_key_required",
            Refusal::ReportNotFound => "report_not_found",
            Refusal::AttachmentNotFound => "attachment_not_found",
            Refusal::NotFound => "not_found",
            Refusal::AccessCodeRequired => "access_code_required",
            Refusal::WrongAccessCode => "wrong_access_code",
            Refusal::AdminTokenRequired => "admin_token_required",
            Refusal::TransitionNotAllowed { .. } => "transition_not_allowed",
            Refusal::NothingToRecord => "nothing_to_record",
            Refusal::NotAllowedNow(refusal) => refusal.code(),
            Refusal::TooManyRequests { .. } => "too_many_requests",
            Refusal::TooManyFailures { .. } => "too_many_failures",
            Refusal::TooManyUploads { .. } => "too_many_uploads",
            Refusal::ServerBusy { .. } => "server_busy",
            Refusal::DailyUploadLimit { .. } => "daily_upload_limit",
            Refusal::StorageFull => "storage_full",
            Refusal::RequestTimeout { .. } => "request_timeout",
            Refusal::UnknownParameter { .. } => "unknown_parameter",
            Refusal::ParameterTooLong { .. } => "parameter_too_long",
            Refusal::ParameterOutOfRange { .. } => "parameter_out_of_range",
            Refusal::InvalidParameters => "invalid_parameters",
            Refusal::RequestTooLarge => "request_too_large",
            Refusal::ExpectedJson => "expected_json",
            Refusal::InvalidBody => "invalid_body",
            Refusal::MalformedBody => "malformed_body",
            Refusal::MalformedUpload => "malformed_upload",
            Refusal::MissingFile => "missing_file",
            Refusal::FileTooLarge { .. } => "file_too_large",
            Refusal::FileTypeNotAccepted => "file_type_not_accepted",
            Refusal::DamagedFile => "damaged_file",
            Refusal::LockedPdf => "locked_pdf",
            Refusal::ConfidentialNotSupported => "confidential_not_supported",
            Refusal::Internal => "internal",
        }
    }

    /// A short title (problem+json `title`) in `locale`.
    pub fn title(&self, locale: Locale) -> &'static str {
        use Locale::{En, Id};
        match (self, locale) {
            (Refusal::InvalidFields, Id) => "Data belum sesuai",
            (Refusal::InvalidFields, En) => "Validation failed",
            (Refusal::IdempotencyKeyRequired, Id) => "Idempotency-Key diperlukan",
            (Refusal::IdempotencyKeyRequired, En) => "Idempotency-Key required",
            (Refusal::IdempotencyKeyReused, Id) => "Idempotency-Key sudah dipakai",
            (Refusal::IdempotencyKeyReused, En) => "Idempotency-Key reused",
            (Refusal::SupporterKeyRequired, Id) => "Kunci pendukung diperlukan",
            (Refusal::SupporterKeyRequired, En) => "Supporter key required",
            (Refusal::ReportNotFound, Id) => "Laporan tidak ditemukan",
            (Refusal::ReportNotFound, En) => "Report not found",
            (Refusal::AttachmentNotFound, Id) => "Lampiran tidak ditemukan",
            (Refusal::AttachmentNotFound, En) => "Attachment not found",
            (Refusal::NotFound, Id) => "Tidak ditemukan",
            (Refusal::NotFound, En) => "Not found",
            (Refusal::AccessCodeRequired, Id) => "Kode akses diperlukan",
            (Refusal::AccessCodeRequired, En) => "Access code required",
            (Refusal::WrongAccessCode, Id) => "Kode akses salah",
            (Refusal::WrongAccessCode, En) => "Wrong access code",
            (Refusal::AdminTokenRequired, Id) => "Token admin diperlukan",
            (Refusal::AdminTokenRequired, En) => "Admin token required",
            (Refusal::TransitionNotAllowed { .. }, Id) => "Perubahan status tidak diizinkan",
            (Refusal::TransitionNotAllowed { .. }, En) => "Transition not allowed",
            (Refusal::NothingToRecord, Id) => "Tidak ada yang dicatat",
            (Refusal::NothingToRecord, En) => "Nothing to record",
            (Refusal::NotAllowedNow(refusal), locale) => refusal.title(locale),
            (Refusal::TooManyRequests { .. }, Id) => "Terlalu banyak permintaan",
            (Refusal::TooManyRequests { .. }, En) => "Too many requests",
            (Refusal::TooManyFailures { .. }, Id) => "Terlalu banyak percobaan yang salah",
            (Refusal::TooManyFailures { .. }, En) => "Too many wrong attempts",
            (Refusal::TooManyUploads { .. }, Id) => "Terlalu banyak unggahan sekaligus",
            (Refusal::TooManyUploads { .. }, En) => "Too many uploads at once",
            (Refusal::ServerBusy { .. }, Id) => "Server sedang sibuk",
            (Refusal::ServerBusy { .. }, En) => "Server busy",
            (Refusal::DailyUploadLimit { .. }, Id) => "Batas unggahan harian tercapai",
            (Refusal::DailyUploadLimit { .. }, En) => "Daily upload limit reached",
            (Refusal::StorageFull, Id) => "Penyimpanan server penuh",
            (Refusal::StorageFull, En) => "Server storage full",
            (Refusal::RequestTimeout { .. }, Id) => "Permintaan terlalu lama",
            (Refusal::RequestTimeout { .. }, En) => "Request took too long",
            (Refusal::UnknownParameter { .. }, Id) => "Parameter tidak dikenal",
            (Refusal::UnknownParameter { .. }, En) => "Unknown parameter",
            (Refusal::ParameterTooLong { .. }, Id) => "Parameter terlalu panjang",
            (Refusal::ParameterTooLong { .. }, En) => "Parameter too long",
            (Refusal::ParameterOutOfRange { .. }, Id) => "Parameter di luar batas",
            (Refusal::ParameterOutOfRange { .. }, En) => "Parameter out of range",
            (Refusal::InvalidParameters, Id) => "Parameter tidak valid",
            (Refusal::InvalidParameters, En) => "Invalid parameters",
            (Refusal::RequestTooLarge, Id) => "Permintaan terlalu besar",
            (Refusal::RequestTooLarge, En) => "Request too large",
            (Refusal::ExpectedJson, Id) => "Isi permintaan harus JSON",
            (Refusal::ExpectedJson, En) => "Expected a JSON body",
            (Refusal::InvalidBody, Id) => "Isi permintaan tidak valid",
            (Refusal::InvalidBody, En) => "Invalid request body",
            (Refusal::MalformedBody, Id) => "Isi permintaan tidak terbaca",
            (Refusal::MalformedBody, En) => "Malformed request body",
            (Refusal::MalformedUpload, Id) => "Unggahan tidak terbaca",
            (Refusal::MalformedUpload, En) => "Malformed upload",
            (Refusal::MissingFile, Id) => "Berkas tidak ada",
            (Refusal::MissingFile, En) => "Missing file",
            (Refusal::FileTooLarge { .. }, Id) => "Berkas terlalu besar",
            (Refusal::FileTooLarge { .. }, En) => "File too large",
            (Refusal::FileTypeNotAccepted, Id) => "Jenis berkas tidak diterima",
            (Refusal::FileTypeNotAccepted, En) => "File type not accepted",
            (Refusal::DamagedFile, Id) => "Berkas rusak",
            (Refusal::DamagedFile, En) => "Damaged file",
            (Refusal::LockedPdf, Id) => "PDF terkunci",
            (Refusal::LockedPdf, En) => "Locked PDF",
            (Refusal::ConfidentialNotSupported, Id) => {
                "Laporan rahasia tidak dapat dikirim ke sini"
            }
            (Refusal::ConfidentialNotSupported, En) => "Confidential reports cannot be sent here",
            (Refusal::Internal, Id) => "Kesalahan server",
            (Refusal::Internal, En) => "Internal server error",
        }
    }

    /// What the reader is told (problem+json `detail`) in `locale`: what happened and what to
    /// do about it.
    pub fn message(&self, locale: Locale) -> String {
        use Locale::{En, Id};
        match (self, locale) {
            (Refusal::InvalidFields, Id) => "Periksa kolom yang ditandai, lalu kirim lagi.".into(),
            (Refusal::InvalidFields, En) => "Check the marked fields, then send again.".into(),
            (Refusal::IdempotencyKeyRequired, Id) => {
                "Kirim header Idempotency-Key yang unik (1 sampai 200 karakter) \
                 dengan setiap laporan baru."
                    .into()
            }
            (Refusal::IdempotencyKeyRequired, En) => {
                "Send a unique Idempotency-Key header (1 to 200 characters) with every new report."
                    .into()
            }
            (Refusal::IdempotencyKeyReused, Id) => {
                "Idempotency-Key ini sudah dipakai untuk permintaan dengan isi yang berbeda.".into()
            }
            (Refusal::IdempotencyKeyReused, En) => {
                "This Idempotency-Key was already used with a different request body.".into()
            }
            (Refusal::SupporterKeyRequired, Id) => {
                "Untuk mendukung laporan atau membatalkan dukungan, kirim header Idempotency-Key \
                 acak milik perangkat ini untuk laporan ini (1 sampai 200 karakter)."
                    .into()
            }
            (Refusal::SupporterKeyRequired, En) => {
                "To support a report or withdraw support, send this device's random \
                 Idempotency-Key header for the report (1 to 200 characters)."
                    .into()
            }
            (Refusal::ReportNotFound, Id) => {
                "Tidak ada laporan dengan nomor ini. Periksa nomor pelacakan Anda.".into()
            }
            (Refusal::ReportNotFound, En) => {
                "There is no report with this number. Check your tracking number.".into()
            }
            (Refusal::AttachmentNotFound, Id) => "Lampiran ini tidak ada.".into(),
            (Refusal::AttachmentNotFound, En) => "This attachment does not exist.".into(),
            (Refusal::NotFound, Id) => "Alamat ini tidak ada di API.".into(),
            (Refusal::NotFound, En) => "This address does not exist in the API.".into(),
            (Refusal::AccessCodeRequired, Id) => {
                "Kirim kode akses laporan dalam header X-Access-Code.".into()
            }
            (Refusal::AccessCodeRequired, En) => {
                "Send the report's access code in the X-Access-Code header.".into()
            }
            (Refusal::WrongAccessCode, Id) => {
                "Kode akses tidak cocok dengan laporan ini. Periksa kode yang Anda simpan.".into()
            }
            (Refusal::WrongAccessCode, En) => {
                "The access code does not match this report. Check the code you kept.".into()
            }
            (Refusal::AdminTokenRequired, Id) => {
                "Kirim token admin dalam header Authorization: Bearer.".into()
            }
            (Refusal::AdminTokenRequired, En) => {
                "Send the admin token in the Authorization: Bearer header.".into()
            }
            (Refusal::TransitionNotAllowed { from, to }, Id) => format!(
                "Laporan tidak dapat berpindah dari status {} ke {}.",
                from.code(),
                to.code()
            ),
            (Refusal::TransitionNotAllowed { from, to }, En) => format!(
                "A report cannot move from {} to {}.",
                from.code(),
                to.code()
            ),
            (Refusal::NothingToRecord, Id) => "Kirim status baru, pesan, atau keduanya.".into(),
            (Refusal::NothingToRecord, En) => "Send a new status, a message, or both.".into(),
            (Refusal::NotAllowedNow(refusal), locale) => refusal.message(locale),
            (Refusal::TooManyRequests { seconds }, Id) => {
                format!("Tunggu {seconds} detik, lalu coba lagi.")
            }
            (Refusal::TooManyRequests { seconds }, En) => {
                format!("Wait {seconds} seconds, then try again.")
            }
            (Refusal::TooManyFailures { seconds }, Id) => {
                format!("Demi keamanan, coba lagi setelah {seconds} detik.")
            }
            (Refusal::TooManyFailures { seconds }, En) => {
                format!("For safety, try again after {seconds} seconds.")
            }
            (Refusal::TooManyUploads { seconds }, Id) => {
                format!("Tunggu unggahan lain selesai, lalu coba lagi setelah {seconds} detik.")
            }
            (Refusal::TooManyUploads { seconds }, En) => {
                format!("Let the other uploads finish, then try again after {seconds} seconds.")
            }
            (Refusal::ServerBusy { seconds }, Id) => {
                format!("Terlalu banyak unggahan saat ini. Coba lagi setelah {seconds} detik.")
            }
            (Refusal::ServerBusy { seconds }, En) => {
                format!("Too many uploads right now. Try again after {seconds} seconds.")
            }
            (Refusal::DailyUploadLimit { seconds }, Id) => format!(
                "Anda sudah mengunggah sebanyak yang diizinkan untuk hari ini. \
                 Coba lagi dalam {} jam.",
                seconds.div_ceil(3600)
            ),
            (Refusal::DailyUploadLimit { seconds }, En) => format!(
                "You have uploaded as much as allowed for today. Try again in {} hours.",
                seconds.div_ceil(3600)
            ),
            (Refusal::StorageFull, Id) => {
                "Server tidak dapat menyimpan data baru saat ini. Data Anda belum disimpan; \
                 coba lagi nanti."
                    .into()
            }
            (Refusal::StorageFull, En) => {
                "The server cannot store new data right now. Nothing was saved; try again later."
                    .into()
            }
            (Refusal::RequestTimeout { seconds }, Id) => format!(
                "Permintaan tidak selesai dalam {seconds} detik. Periksa koneksi, lalu kirim lagi."
            ),
            (Refusal::RequestTimeout { seconds }, En) => format!(
                "The request did not finish within {seconds} seconds. Check the connection, \
                 then send it again."
            ),
            (Refusal::UnknownParameter { name }, Id) => {
                format!("Parameter `{name}` tidak dikenal di sini.")
            }
            (Refusal::UnknownParameter { name }, En) => {
                format!("The parameter `{name}` is not known here.")
            }
            (Refusal::ParameterTooLong { name, max }, Id) => {
                format!("Parameter `{name}` paling banyak {max} karakter.")
            }
            (Refusal::ParameterTooLong { name, max }, En) => {
                format!("The parameter `{name}` may have at most {max} characters.")
            }
            (Refusal::ParameterOutOfRange { name, min, max }, Id) => {
                format!("Parameter `{name}` harus antara {min} dan {max}.")
            }
            (Refusal::ParameterOutOfRange { name, min, max }, En) => {
                format!("The parameter `{name}` must be between {min} and {max}.")
            }
            (Refusal::InvalidParameters, Id) => "Parameter alamat ini tidak dapat dibaca.".into(),
            (Refusal::InvalidParameters, En) => {
                "The parameters of this address cannot be read.".into()
            }
            (Refusal::RequestTooLarge, Id) => "Isi permintaan melebihi batas server.".into(),
            (Refusal::RequestTooLarge, En) => "The request body is over the server's limit.".into(),
            (Refusal::ExpectedJson, Id) => {
                "Kirim isi JSON dengan Content-Type: application/json.".into()
            }
            (Refusal::ExpectedJson, En) => {
                "Send a JSON body with Content-Type: application/json.".into()
            }
            (Refusal::InvalidBody, Id) => "Isi JSON tidak sesuai bentuk yang diharapkan.".into(),
            (Refusal::InvalidBody, En) => "The JSON body does not have the expected shape.".into(),
            (Refusal::MalformedBody, Id) => "Isi permintaan bukan JSON yang valid.".into(),
            (Refusal::MalformedBody, En) => "The request body is not valid JSON.".into(),
            (Refusal::MalformedUpload | Refusal::MissingFile, Id) => {
                "Kirim satu berkas dalam kolom multipart bernama `file`.".into()
            }
            (Refusal::MalformedUpload | Refusal::MissingFile, En) => {
                "Send one file in a multipart field named `file`.".into()
            }
            (Refusal::FileTooLarge { max_mb }, Id) => {
                format!("Satu berkas paling besar {max_mb} MB.")
            }
            (Refusal::FileTooLarge { max_mb }, En) => {
                format!("A file may have at most {max_mb} MB.")
            }
            (Refusal::FileTypeNotAccepted, Id) => {
                "Kirim foto JPEG, PNG atau WebP, atau dokumen PDF.".into()
            }
            (Refusal::FileTypeNotAccepted, En) => {
                "Send a JPEG, PNG or WebP photo, or a PDF document.".into()
            }
            (Refusal::DamagedFile, Id) => {
                "Berkas ini rusak atau tidak lengkap, sehingga data tersembunyi di dalamnya \
                 (lokasi, nama pembuat) tidak dapat dihapus. Simpan ulang berkasnya, lalu kirim \
                 lagi."
                    .into()
            }
            (Refusal::DamagedFile, En) => {
                "This file is damaged or incomplete, so the hidden data in it (location, author) \
                 cannot be removed. Save the file again, then send it again."
                    .into()
            }
            (Refusal::LockedPdf, Id) => {
                "PDF yang dikunci dengan kata sandi tidak dapat dibersihkan dari data pembuatnya. \
                 Buka kuncinya atau cetak ulang sebagai PDF, lalu kirim lagi."
                    .into()
            }
            (Refusal::LockedPdf, En) => {
                "A password-protected PDF cannot be cleaned of its author data. Unlock it or \
                 print it again as a PDF, then send it again."
                    .into()
            }
            (Refusal::ConfidentialNotSupported, Id) => {
                "Layanan pengaduan ini menampilkan setiap laporan kepada publik, sehingga laporan \
                 rahasia tidak dapat dikirim ke sini. Matikan pilihan rahasia bila isinya boleh \
                 terlihat, atau sampaikan lewat saluran lain instansi."
                    .into()
            }
            (Refusal::ConfidentialNotSupported, En) => {
                "This complaint service shows every report publicly, so a confidential report \
                 cannot be sent here. Turn off the confidential choice if its content may be \
                 seen, or use another of the agency's channels."
                    .into()
            }
            (Refusal::Internal, Id) => {
                "Terjadi kesalahan di server. Coba lagi beberapa saat lagi.".into()
            }
            (Refusal::Internal, En) => {
                "Something went wrong on the server. Try again in a moment.".into()
            }
        }
    }

    /// How many seconds the client should wait before trying again (`Retry-After`), for the
    /// refusals that pass.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            Refusal::TooManyRequests { seconds }
            | Refusal::TooManyFailures { seconds }
            | Refusal::TooManyUploads { seconds }
            | Refusal::ServerBusy { seconds }
            | Refusal::DailyUploadLimit { seconds } => Some(*seconds),
            Refusal::StorageFull => Some(STORAGE_FULL_RETRY_SECS),
            _ => None,
        }
    }
}

/// When a client refused for a full disk may try again (an operator has to act first).
pub const STORAGE_FULL_RETRY_SECS: u64 = 15 * 60;

#[cfg(test)]
mod tests {
    use super::*;

    /// One of every refusal (the match makes a new variant a compile error here until added).
    fn every_refusal() -> Vec<Refusal> {
        let all = vec![
            Refusal::InvalidFields,
            Refusal::IdempotencyKeyRequired,
            Refusal::IdempotencyKeyReused,
            Refusal::SupporterKeyRequired,
            Refusal::ReportNotFound,
            Refusal::AttachmentNotFound,
            Refusal::NotFound,
            Refusal::AccessCodeRequired,
            Refusal::WrongAccessCode,
            Refusal::AdminTokenRequired,
            Refusal::TransitionNotAllowed {
                from: Status::Closed,
                to: Status::InProgress,
            },
            Refusal::NothingToRecord,
            Refusal::NotAllowedNow(permissions::Refusal::Finished),
            Refusal::NotAllowedNow(permissions::Refusal::NothingToReplyTo),
            Refusal::NotAllowedNow(permissions::Refusal::ReplyWindowClosed { days: 10 }),
            Refusal::NotAllowedNow(permissions::Refusal::NotResolvedYet),
            Refusal::NotAllowedNow(permissions::Refusal::AlreadyRated),
            Refusal::TooManyRequests { seconds: 7 },
            Refusal::TooManyFailures { seconds: 8 },
            Refusal::TooManyUploads { seconds: 5 },
            Refusal::ServerBusy { seconds: 5 },
            Refusal::DailyUploadLimit { seconds: 7200 },
            Refusal::StorageFull,
            Refusal::RequestTimeout { seconds: 30 },
            Refusal::UnknownParameter {
                name: "color".into(),
            },
            Refusal::ParameterTooLong {
                name: "q".into(),
                max: 200,
            },
            Refusal::ParameterOutOfRange {
                name: "limit".into(),
                min: 1,
                max: 50,
            },
            Refusal::InvalidParameters,
            Refusal::RequestTooLarge,
            Refusal::ExpectedJson,
            Refusal::InvalidBody,
            Refusal::MalformedBody,
            Refusal::MalformedUpload,
            Refusal::MissingFile,
            Refusal::FileTooLarge { max_mb: 10 },
            Refusal::FileTypeNotAccepted,
            Refusal::DamagedFile,
            Refusal::LockedPdf,
            Refusal::ConfidentialNotSupported,
            Refusal::Internal,
        ];
        for refusal in &all {
            match refusal {
                Refusal::InvalidFields
                | Refusal::IdempotencyKeyRequired
                | Refusal::IdempotencyKeyReused
                | Refusal::SupporterKeyRequired
                | Refusal::ReportNotFound
                | Refusal::AttachmentNotFound
                | Refusal::NotFound
                | Refusal::AccessCodeRequired
                | Refusal::WrongAccessCode
                | Refusal::AdminTokenRequired
                | Refusal::TransitionNotAllowed { .. }
                | Refusal::NothingToRecord
                | Refusal::NotAllowedNow(_)
                | Refusal::TooManyRequests { .. }
                | Refusal::TooManyFailures { .. }
                | Refusal::TooManyUploads { .. }
                | Refusal::ServerBusy { .. }
                | Refusal::DailyUploadLimit { .. }
                | Refusal::StorageFull
                | Refusal::RequestTimeout { .. }
                | Refusal::UnknownParameter { .. }
                | Refusal::ParameterTooLong { .. }
                | Refusal::ParameterOutOfRange { .. }
                | Refusal::InvalidParameters
                | Refusal::RequestTooLarge
                | Refusal::ExpectedJson
                | Refusal::InvalidBody
                | Refusal::MalformedBody
                | Refusal::MalformedUpload
                | Refusal::MissingFile
                | Refusal::FileTooLarge { .. }
                | Refusal::FileTypeNotAccepted
                | Refusal::DamagedFile
                | Refusal::LockedPdf
                | Refusal::ConfidentialNotSupported
                | Refusal::Internal => {}
            }
        }
        all
    }

    #[test]
    fn every_refusal_speaks_both_languages() {
        for refusal in every_refusal() {
            let (id, en) = (refusal.title(Locale::Id), refusal.title(Locale::En));
            assert!(!id.is_empty() && !en.is_empty(), "{refusal:?}");
            assert_ne!(id, en, "{refusal:?} has one title for both languages");
            let (id, en) = (refusal.message(Locale::Id), refusal.message(Locale::En));
            assert!(!id.is_empty() && !en.is_empty(), "{refusal:?}");
            assert_ne!(id, en, "{refusal:?} has one message for both languages");
        }
    }

    #[test]
    fn codes_are_distinct_and_statuses_are_errors() {
        let all = every_refusal();
        let mut codes: Vec<&str> = all.iter().map(Refusal::code).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), all.len(), "two refusals share a code");
        for refusal in &all {
            assert!((400..600).contains(&refusal.status()), "{refusal:?}");
        }
    }

    #[test]
    fn messages_carry_their_numbers_and_waits() {
        let wait = Refusal::TooManyRequests { seconds: 7 };
        assert_eq!(wait.retry_after(), Some(7));
        assert!(wait.message(Locale::En).contains('7'));
        let quota = Refusal::DailyUploadLimit { seconds: 7201 };
        assert!(quota.message(Locale::Id).contains("3 jam"));
        assert_eq!(
            Refusal::StorageFull.retry_after(),
            Some(STORAGE_FULL_RETRY_SECS)
        );
        assert_eq!(Refusal::WrongAccessCode.retry_after(), None);
        let moved = Refusal::TransitionNotAllowed {
            from: Status::Closed,
            to: Status::InProgress,
        };
        assert_eq!(
            moved.message(Locale::En),
            "A report cannot move from closed to in_progress."
        );
        assert_eq!(
            Refusal::NotAllowedNow(permissions::Refusal::AlreadyRated).message(Locale::Id),
            permissions::Refusal::AlreadyRated.message(Locale::Id)
        );
    }
}
