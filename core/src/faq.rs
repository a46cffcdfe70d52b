//! The bundled FAQ, written for this portal: the app shows it when the backend has none, and
//! the reference server seeds its `/faq` from it.

use crate::Locale;
use crate::api::FaqEntry;

struct Entry {
    id: &'static str,
    category: [&'static str; 2],
    question: [&'static str; 2],
    answer: [&'static str; 2],
}

const ABOUT: [&str; 2] = ["Tentang laporan", "About reports"];
const PRIVACY: [&str; 2] = ["Privasi", "Privacy"];
const AFTER: [&str; 2] = ["Setelah melapor", "After reporting"];
const CHANNELS: [&str; 2] = ["Saluran lain", "Other channels"];

const ENTRIES: &[Entry] = &[
    Entry {
        id: "apa-yang-bisa-dilaporkan",
        category: ABOUT,
        question: [
            "Apa yang bisa dilaporkan di sini?",
            "What can I report here?",
        ],
        answer: [
            "Semua hal tentang pelayanan publik: jalan rusak, layanan puskesmas, sekolah, KTP dan akta, perizinan, air bersih, sampah, bantuan sosial, dan sejenisnya. Anda juga bisa menyampaikan aspirasi (saran) atau meminta informasi publik.",
            "Anything about public services: damaged roads, health centres, schools, ID cards and certificates, permits, clean water, waste, social assistance and the like. You can also send an aspiration (a suggestion) or request public information.",
        ],
    },
    Entry {
        id: "apa-yang-tidak-bisa-dilaporkan",
        category: ABOUT,
        question: [
            "Apa yang tidak bisa dilaporkan?",
            "What cannot be reported?",
        ],
        answer: [
            "Perkara pidana (laporkan ke kepolisian), sengketa yang sedang diadili di pengadilan, ujaran kebencian atau kata-kata kasar, dan laporan yang sama dengan laporan Anda yang masih diproses.",
            "Criminal cases (report them to the police), disputes being tried in court, hate speech or abuse, and a duplicate of a report of yours that is still in progress.",
        ],
    },
    Entry {
        id: "jenis-laporan",
        category: ABOUT,
        question: [
            "Apa beda pengaduan, aspirasi, dan permintaan informasi?",
            "What is the difference between a complaint, an aspiration and an information request?",
        ],
        answer: [
            "Pengaduan: ada pelayanan yang tidak berjalan sebagaimana mestinya. Aspirasi: usul atau saran untuk perbaikan. Permintaan informasi: Anda meminta informasi publik dari instansi pemerintah.",
            "Complaint: a service did not work as it should. Aspiration: an idea or suggestion for improvement. Information request: you ask a government body for public information.",
        ],
    },
    Entry {
        id: "berapa-lama",
        category: AFTER,
        question: [
            "Berapa lama laporan saya diproses?",
            "How long does my report take?",
        ],
        answer: [
            "Laporan diverifikasi dan diteruskan dalam 3 hari kerja, lalu instansi mulai menindaklanjuti dalam 5 hari kerja. Target penyelesaian: permintaan informasi paling lama 5 hari kerja, pengaduan 14 hari kerja, atau 60 hari kerja bila perlu pemeriksaan lapangan. Hari kerja tidak termasuk Sabtu, Minggu, libur nasional, dan cuti bersama.",
            "Reports are verified and forwarded within 3 working days, and the agency starts its follow-up within 5 working days. Targets: information requests within 5 working days, complaints within 14, or 60 when a field inspection is needed. Working days exclude Saturdays, Sundays, national holidays and collective leave days.",
        ],
    },
    Entry {
        id: "anonim-atau-rahasia",
        category: PRIVACY,
        question: [
            "Apa beda Anonim dan Rahasia?",
            "What is the difference between Anonymous and Confidential?",
        ],
        answer: [
            "Anonim: identitas Anda tidak pernah ditampilkan kepada siapa pun, termasuk instansi yang dilaporkan; isi laporan bisa tetap publik. Rahasia: isi laporan tidak publik; hanya Anda (dengan kode akses) dan petugas yang menangani yang dapat membacanya. Anda boleh memilih keduanya.",
            "Anonymous: your identity is never shown to anyone, the agency included; the report itself may still be public. Confidential: the report is not public; only you (with the access code) and the officials handling it can read it. You may choose both.",
        ],
    },
    Entry {
        id: "data-pribadi",
        category: PRIVACY,
        question: [
            "Bagaimana data pribadi saya dijaga?",
            "How is my personal data protected?",
        ],
        answer: [
            "Nama, email, dan nomor telepon tidak wajib. Bila diisi, data itu hanya dipakai untuk mengabari Anda dan tidak pernah ditampilkan di halaman laporan. Bila Anda memilih Anonim, data kontak tidak dikirim sama sekali.",
            "Name, email and phone are optional. If you give them, they are used only to update you and are never shown on a report page. If you choose Anonymous, contact details are not sent at all.",
        ],
    },
    Entry {
        id: "nomor-pelacakan",
        category: AFTER,
        question: [
            "Apa itu nomor pelacakan dan kode akses?",
            "What are the tracking number and the access code?",
        ],
        answer: [
            "Nomor pelacakan (misalnya K7M-2QX-9PD) dipakai untuk melihat status laporan. Kode akses adalah rahasia yang hanya ditampilkan sekali setelah Anda melapor: dengan kode itu Anda dapat membaca laporan rahasia, membalas tanggapan, dan memberi penilaian. Simpan keduanya.",
            "The tracking number (for example K7M-2QX-9PD) lets you follow your report's status. The access code is a secret shown only once after you report: with it you can read a confidential report, answer a response and rate it. Keep both.",
        ],
    },
    Entry {
        id: "nomor-hilang",
        category: AFTER,
        question: [
            "Nomor pelacakan atau kode akses saya hilang. Apa yang harus dilakukan?",
            "I lost my tracking number or access code. What should I do?",
        ],
        answer: [
            "Buka menu Laporan Saya di perangkat yang Anda pakai untuk melapor: nomor dan kode tersimpan di sana. Bila tidak ada, hubungi admin melalui saluran lain dengan menyebut judul dan tanggal laporan; demi keamanan, kode akses tidak dapat dikirim ulang ke orang lain.",
            "Open My Reports on the device you reported from: the number and code are kept there. Otherwise contact the admins through another channel with the title and date of the report; for safety, an access code is never sent to anyone else.",
        ],
    },
    Entry {
        id: "instansi-tujuan",
        category: ABOUT,
        question: [
            "Saya tidak tahu instansi mana yang berwenang. Bagaimana?",
            "I do not know which agency is responsible. What now?",
        ],
        answer: [
            "Tidak apa-apa: pilih \"Saya tidak tahu\". Admin akan meneruskan laporan Anda ke instansi yang berwenang, baik kementerian, provinsi, kabupaten/kota, dinas, maupun kecamatan. Bila instansi menyatakan bukan wewenangnya, laporan diteruskan ke instansi lain, tidak dihentikan.",
            "That is fine: choose \"I don't know\". Admins route your report to the responsible body: a ministry, the province, the regency or city, one of its offices, or a district. If an agency says it is not its authority, the report is forwarded elsewhere, not dropped.",
        ],
    },
    Entry {
        id: "saluran-lain",
        category: CHANNELS,
        question: [
            "Bisakah saya melapor lewat SMS atau media sosial?",
            "Can I report by SMS or social media?",
        ],
        answer: [
            "Bisa. SP4N-LAPOR! juga menerima laporan lewat SMS ke 1708, Twitter/X @lapor1708, Telegram, LINE, Facebook Messenger, serta aplikasi Android dan iOS. Saluran instansi ini tercantum di halaman utama.",
            "Yes. SP4N-LAPOR! also takes reports by SMS to 1708, Twitter/X @lapor1708, Telegram, LINE, Facebook Messenger, and the Android and iOS apps. This agency's own channels are listed on the home page.",
        ],
    },
];

/// The bundled FAQ in one language, in display order.
pub fn default_faq(locale: Locale) -> Vec<FaqEntry> {
    let i = match locale {
        Locale::Id => 0,
        Locale::En => 1,
    };
    ENTRIES
        .iter()
        .map(|e| FaqEntry {
            id: e.id.into(),
            category: e.category[i].into(),
            question: e.question[i].into(),
            answer: e.answer[i].into(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_have_the_same_questions_with_distinct_text() {
        let id = default_faq(Locale::Id);
        let en = default_faq(Locale::En);
        assert_eq!(id.len(), en.len());
        for (a, b) in id.iter().zip(&en) {
            assert_eq!(a.id, b.id);
            assert_ne!(a.question, b.question);
            assert_ne!(a.answer, b.answer);
        }
        let mut ids: Vec<_> = id.iter().map(|e| &e.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), id.len(), "ids are unique");
    }

    #[test]
    fn covers_the_questions_citizens_ask() {
        let en = default_faq(Locale::En);
        let all: String = en
            .iter()
            .map(|e| format!("{} {} ", e.question, e.answer))
            .collect();
        for needle in [
            "Criminal",
            "court",
            "Anonymous",
            "Confidential",
            "working days",
            "1708",
            "access code",
            "lost",
            "personal data",
        ] {
            assert!(all.contains(needle), "missing {needle}");
        }
    }
}
