//! Synthetic but realistic reports in bulk, for the list endpoint's benchmark
//! (`lapor-server --seed-bench N --data DIR`): every report goes through the same insert as a
//! real one ([`super::insert_report`], [`super::insert_event`]), so the search index and the
//! list's indexes are filled by the same triggers. Spread over classifications, statuses,
//! categories, agencies and real region codes from the seeded regions (most in Kabupaten
//! Kendal, the rest across the country), a few confidential and some anonymous, submitted
//! over the past year, oldest first so that row order is submission order.

use std::path::Path;

use chrono::{Duration, SecondsFormat, Utc};
use lapor_core::api::{Classification, EventKind, Location, NewReport, Reporter};
use lapor_core::calendar::local_date;
use lapor_core::tracking::TrackingId;
use lapor_core::{Locale, Status};
use rusqlite::Connection;

use super::{NewEventRow, NewReportRow};

/// A small, fast generator (SplitMix64): synthetic data needs variety, not secrecy.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// True with probability `percent`/100.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// (category, problems as titles start, what the text says about them)
const PROBLEMS: &[(&str, &[&str], &[&str])] = &[
    (
        "infrastruktur",
        &[
            "Jalan berlubang",
            "Lampu penerangan jalan mati",
            "Jembatan retak",
            "Drainase tersumbat",
            "Trotoar rusak",
            "Aspal mengelupas",
        ],
        &[
            "Sudah lebih dari dua minggu belum ada perbaikan dan membahayakan pengendara motor.",
            "Saat hujan air menggenang dan warga kesulitan lewat.",
            "Mohon segera ditinjau karena sudah ada yang terjatuh.",
        ],
    ),
    (
        "kesehatan",
        &[
            "Antrean puskesmas terlalu lama",
            "Obat di puskesmas kosong",
            "Ambulans desa tidak tersedia",
            "Posyandu tidak buka",
        ],
        &[
            "Warga harus menunggu sejak pagi sampai siang.",
            "Petugas mengatakan stok belum datang sejak bulan lalu.",
            "Mohon perhatian dinas kesehatan.",
        ],
    ),
    (
        "pendidikan",
        &[
            "Atap sekolah bocor",
            "Pungutan di sekolah",
            "Guru sering tidak hadir",
            "Bangku kelas rusak",
        ],
        &[
            "Murid terpaksa belajar di lantai saat hujan.",
            "Orang tua murid keberatan dan meminta kejelasan.",
            "Sudah dilaporkan ke kepala sekolah tetapi belum ada tanggapan.",
        ],
    ),
    (
        "kependudukan",
        &[
            "KTP elektronik belum jadi",
            "Antrean disdukcapil panjang",
            "Akta kelahiran salah nama",
            "Kartu keluarga belum diperbarui",
        ],
        &[
            "Sudah tiga bulan menunggu tanpa kabar.",
            "Petugas meminta datang kembali berkali-kali.",
            "Mohon informasi kapan bisa diambil.",
        ],
    ),
    (
        "lingkungan",
        &[
            "Sampah menumpuk",
            "Pembakaran sampah di lahan kosong",
            "Sungai tercemar limbah",
            "Pohon tumbang",
        ],
        &[
            "Baunya mengganggu warga sekitar.",
            "Asapnya masuk ke rumah warga setiap sore.",
            "Air sungai berubah warna dan ikan mati.",
        ],
    ),
    (
        "air-bersih",
        &[
            "Air PDAM tidak mengalir",
            "Air keruh dan berbau",
            "Pipa bocor",
        ],
        &[
            "Sudah lima hari warga membeli air galon.",
            "Air tidak layak untuk mandi maupun memasak.",
            "Air terbuang percuma di pinggir jalan.",
        ],
    ),
    (
        "perizinan",
        &["Izin usaha lama diproses", "Biaya izin tidak jelas"],
        &[
            "Berkas sudah lengkap tetapi belum ada keputusan.",
            "Mohon penjelasan rincian biaya resmi.",
        ],
    ),
    (
        "bansos",
        &[
            "Bantuan sosial tidak tepat sasaran",
            "Bantuan sembako belum diterima",
        ],
        &[
            "Warga yang mampu menerima, yang membutuhkan tidak.",
            "Nama tercantum di daftar tetapi bantuan belum datang.",
        ],
    ),
    (
        "ketertiban",
        &[
            "Parkir liar di bahu jalan",
            "Pedagang menutup trotoar",
            "Balap liar tiap malam",
        ],
        &[
            "Lalu lintas macet setiap pagi dan sore.",
            "Pejalan kaki terpaksa berjalan di badan jalan.",
            "Suara knalpot mengganggu warga sampai larut malam.",
        ],
    ),
];

const NAMES: &[&str] = &[
    "Siti Rahayu",
    "Budi Santoso",
    "Dewi Lestari",
    "Agus Prasetyo",
    "Nur Hidayah",
    "Slamet Riyadi",
    "Rina Wulandari",
    "Joko Susilo",
];

/// A status, likelier to be a later one the older the report is.
fn status_for(dice: &mut Dice, age_days: i64) -> Status {
    let (received, progress) = match age_days {
        0..=14 => (70, 95),
        15..=90 => (25, 70),
        _ => (5, 25),
    };
    let roll = dice.below(100);
    if roll < received {
        return Status::Received;
    }
    if roll < progress {
        return dice
            .pick(&[Status::Verified, Status::Forwarded, Status::InProgress])
            .clone();
    }
    dice.pick(&[
        Status::Resolved,
        Status::Resolved,
        Status::Resolved,
        Status::Closed,
        Status::Rejected,
    ])
    .clone()
}

/// A region and its name, for a title's place.
struct Place {
    code: String,
    name: String,
}

fn places(conn: &Connection) -> rusqlite::Result<(Vec<Place>, Vec<Place>)> {
    let read = |sql: &str| -> rusqlite::Result<Vec<Place>> {
        let mut statement = conn.prepare(sql)?;
        let rows = statement.query_map([], |r| {
            Ok(Place {
                code: r.get("code")?,
                name: r.get("name")?,
            })
        })?;
        rows.collect()
    };
    Ok((
        read("SELECT code, name FROM regions WHERE code LIKE '33.24.%' AND level >= 3")?,
        read("SELECT code, name FROM regions WHERE level >= 3 ORDER BY code")?,
    ))
}

fn ids(conn: &Connection, sql: &str) -> rusqlite::Result<Vec<String>> {
    let mut statement = conn.prepare(sql)?;
    let rows = statement.query_map([], |r| r.get(0))?;
    rows.collect()
}

/// Adds `n` synthetic reports to the database at `db_path` (created, migrated and seeded if
/// new) in one transaction; returns how many reports it holds now. 100,000 take seconds.
pub fn fill(db_path: &Path, n: u64) -> rusqlite::Result<u64> {
    let mut conn = crate::db::open(db_path)?;
    conn.execute_batch("PRAGMA synchronous = NORMAL; PRAGMA cache_size = -262144;")?;
    let mut dice = Dice(crate::routes::random_u64());
    let (near, country) = places(&conn)?;
    let agencies = ids(&conn, "SELECT id FROM agencies ORDER BY id")?;
    let kendal_agencies: Vec<String> = agencies
        .iter()
        .filter(|a| a.starts_with("kendal-") || *a == "kab-kendal")
        .cloned()
        .collect();
    // Every synthetic report shares one access hash, of a code nobody is told.
    let access_hash = crate::secrets::hash_access_code(&format!("{:016x}", dice.next()));
    let calendar = crate::routes::calendar();
    let sla = crate::routes::instance_info().sla;
    let offset = crate::routes::offset();
    let now = Utc::now();
    let year_seconds = 365 * 24 * 3600;
    let tx = conn.transaction()?;
    for i in 0..n {
        // Oldest first, evenly over the past year.
        let ago = year_seconds - (i as i64 * year_seconds) / n.max(1) as i64;
        let submitted = now - Duration::seconds(ago);
        let submitted_at = submitted.to_rfc3339_opts(SecondsFormat::Secs, true);
        let (category, problems, details) = dice.pick(PROBLEMS);
        let place = if dice.chance(80) {
            dice.pick(&near)
        } else {
            dice.pick(&country)
        };
        let classification = *dice.pick(&[
            Classification::Complaint,
            Classification::Complaint,
            Classification::Complaint,
            Classification::Aspiration,
            Classification::InformationRequest,
        ]);
        let anonymous = dice.chance(20);
        let confidential = dice.chance(3);
        let agency = if place.code.starts_with("33.24") && dice.chance(85) {
            Some(dice.pick(&kendal_agencies).clone())
        } else if dice.chance(50) {
            Some(dice.pick(&agencies).clone())
        } else {
            None
        };
        let problem = dice.pick(problems);
        let report = NewReport {
            classification,
            title: format!("{problem} di {}", place.name),
            body: format!(
                "{problem} di {}. {} {}",
                place.name,
                dice.pick(details),
                dice.pick(details)
            ),
            incident_date: Some(submitted.date_naive() - Duration::days(dice.below(7) as i64)),
            location: Some(Location {
                region_id: Some(place.code.clone()),
                ..Location::default()
            }),
            agency_id: agency,
            category_id: Some((*category).to_owned()),
            field_inspection: dice.chance(10),
            anonymous,
            confidential,
            reporter: (!anonymous).then(|| Reporter {
                name: Some((*dice.pick(NAMES)).to_owned()),
                email: None,
                phone: None,
            }),
            attachment_ids: Vec::new(),
            locale: None,
        };
        let tracking_id = loop {
            let candidate = TrackingId::from_random(dice.next() >> 24);
            if !super::tracking_id_taken(&tx, &candidate)? {
                break candidate;
            }
        };
        let days = sla.resolution_days(classification, report.field_inspection);
        let due = calendar.add_working_days(local_date(submitted.timestamp(), offset), days);
        let report_id = super::insert_report(
            &tx,
            &NewReportRow {
                tracking_id,
                access_hash: &access_hash,
                report: &report,
                locale: Locale::Id,
                submitted_at: &submitted_at,
                due,
            },
        )?;
        let status = status_for(&mut dice, ago / (24 * 3600));
        if status != Status::Received {
            super::set_status(&tx, report_id, &status)?;
            super::insert_event(
                &tx,
                &NewEventRow {
                    report_id,
                    at: &submitted_at,
                    kind: EventKind::Status,
                    status: &status,
                    agency_id: None,
                    message: None,
                },
            )?;
        }
    }
    tx.commit()?;
    conn.execute_batch("ANALYZE;")?;
    conn.query_row("SELECT COUNT(*) FROM reports", [], |r| r.get(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_varied_reports_through_the_real_insert() {
        let dir = std::env::temp_dir().join(format!("lapor-bench-seed-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("lapor.sqlite3");
        assert_eq!(fill(&path, 2_000).unwrap(), 2_000);
        let conn = Connection::open(&path).unwrap();
        let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
        assert!(count("SELECT COUNT(DISTINCT status) FROM reports") >= 5);
        assert_eq!(
            count("SELECT COUNT(DISTINCT classification) FROM reports"),
            3
        );
        assert!(count("SELECT COUNT(DISTINCT category_id) FROM reports") >= 8);
        assert!(count("SELECT COUNT(DISTINCT agency_id) FROM reports") >= 5);
        let confidential = count("SELECT COUNT(*) FROM reports WHERE confidential = 1");
        assert!((1..200).contains(&confidential), "{confidential}");
        // Real region codes only, most in Kendal.
        assert_eq!(
            count(
                "SELECT COUNT(*) FROM reports r
                 WHERE NOT EXISTS (SELECT 1 FROM regions g WHERE g.code = r.region_id)"
            ),
            0
        );
        assert!(count("SELECT COUNT(*) FROM reports WHERE region_id LIKE '33.24.%'") > 1_000);
        // The search index was filled by the insert's trigger.
        assert_eq!(
            count("SELECT COUNT(*) FROM reports_fts WHERE reports_fts MATCH 'di'"),
            2_000
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
