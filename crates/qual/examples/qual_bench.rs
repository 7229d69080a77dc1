//! Times the evaluation side at national-evaluation scale: 2,000 transcripts and 200,000
//! coded segments by two coders, exported to .qdpx, imported, compared, exported again.
//!
//! Run: `cargo run --release -p fika-qual --example qual_bench`
//! (optional arguments: number of transcripts, number of coded segments).

use std::io::Cursor;
use std::time::Instant;

use fika_qual::{
    Code, Coding, Guid, ImportOptions, Project, Selection, TextSource, User, agreement, read_qdpx,
    write_qdpx,
};

/// A small deterministic generator, so every run measures the same project.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % below as u64) as usize
    }
}

fn guid(kind: u64, n: u64) -> Guid {
    format!("{kind:08x}-0000-4000-8000-{n:012x}")
        .parse()
        .expect("valid GUID")
}

const LINES: [&str; 6] = [
    "Intervjuare: Hur var det första mötet med din coach?\n",
    "Deltagare: Vi tog en fika på ett café, det kändes som att bli sedd som människa. ☕\n",
    "Deltagare: Hon sa att hon skulle kolla upp det till nästa gång, och det gjorde hon.\n",
    "Intervjuare: Vad betydde det för dig att få ett riktigt jobb?\n",
    "Deltagare: Att få lön och kollegor, det är närmare drömmen. 😊\n",
    "Deltagare: Det tar den tid det tar, ingen stress.\n",
];

fn generate(transcripts: usize, segments: usize) -> Project {
    let mut rng = Lcg(2013);
    let mut p = Project::new("Benchmark");
    for (n, name) in [(1, "Kodare A"), (2, "Kodare B")] {
        p.users.push(User {
            guid: guid(1, n),
            name: Some(name.into()),
            id: None,
        });
    }
    for theme in 0..5u64 {
        let mut t = Code::new(guid(2, theme * 100), format!("Tema {theme}"));
        t.is_codable = false;
        for code in 1..=8u64 {
            t.children.push(Code::new(
                guid(2, theme * 100 + code),
                format!("Kod {theme}.{code}"),
            ));
        }
        p.codes.push(t);
    }
    let code_guids: Vec<Guid> = p
        .codes
        .iter()
        .flat_map(|t| t.children.iter().map(|c| c.guid.clone()))
        .collect();
    for i in 0..transcripts {
        let mut text = String::new();
        for _ in 0..60 {
            text.push_str(LINES[rng.next(LINES.len())]);
        }
        p.sources.push(TextSource::new(
            guid(3, i as u64),
            format!("Intervju {i}"),
            text,
        ));
    }
    let lens: Vec<usize> = p.sources.iter().map(|s| s.len_chars()).collect();
    for n in 0..segments {
        let source = rng.next(transcripts);
        let coder = 1 + (n % 2) as u64;
        let len = 20 + rng.next(300);
        let start = rng.next(lens[source] - len);
        let code = code_guids[rng.next(code_guids.len())].clone();
        p.sources[source].selections.push(Selection {
            modifying_user: None,
            modified: None,
            guid: guid(4, n as u64),
            name: None,
            start,
            end: start + len,
            creating_user: Some(guid(1, coder)),
            created: None,
            description: None,
            codings: vec![Coding {
                guid: guid(5, n as u64),
                code,
                creating_user: Some(guid(1, coder)),
                created: None,
                notes: Vec::new(),
            }],
            notes: Vec::new(),
        });
    }
    p
}

/// Peak resident memory so far (Linux), for the report.
fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l[6..].trim().to_owned())
        })
        .unwrap_or_else(|| "n/a".into())
}

/// CPU time (user + system) the process has used so far (Linux), so that timings taken on
/// a busy machine can be told apart from the work itself.
fn cpu_time() -> std::time::Duration {
    let ticks = std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let after_name = s.rsplit_once(')')?.1.to_owned();
            let fields: Vec<u64> = after_name
                .split_whitespace()
                .skip(11)
                .take(2)
                .filter_map(|f| f.parse().ok())
                .collect();
            Some(fields.iter().sum::<u64>())
        })
        .unwrap_or(0);
    // The kernel reports clock ticks; 100 per second on Linux.
    std::time::Duration::from_millis(ticks * 10)
}

/// Wall time, CPU time and peak memory of one phase.
struct Phase {
    wall: std::time::Duration,
    cpu: std::time::Duration,
    peak: String,
}

fn measure<T>(f: impl FnOnce() -> T) -> (T, Phase) {
    let (t, c) = (Instant::now(), cpu_time());
    let out = f();
    let phase = Phase {
        wall: t.elapsed(),
        cpu: cpu_time() - c,
        peak: peak_memory(),
    };
    (out, phase)
}

impl std::fmt::Display for Phase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "wall {:>9.3?}  cpu {:>9.3?}  peak memory {}",
            self.wall, self.cpu, self.peak
        )
    }
}

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let transcripts = args.first().copied().unwrap_or(2_000);
    let segments = args.get(1).copied().unwrap_or(200_000);
    let at = "2026-11-26T10:00:00Z";

    let (project, generated) = measure(|| generate(transcripts, segments));
    let chars: usize = project.sources.iter().map(TextSource::len_chars).sum();
    let (bytes, exported) = measure(|| {
        write_qdpx(&project, Cursor::new(Vec::new()), at)
            .expect("export")
            .into_inner()
    });
    drop(project);
    let options = ImportOptions {
        max_uncompressed_bytes: 4 << 30,
        ..ImportOptions::default()
    };
    let (imported, import) = measure(|| read_qdpx(Cursor::new(&bytes), &options).expect("import"));
    let coders = [guid(1, 1), guid(1, 2)];
    let (report, compared) = measure(|| agreement(&imported.project, &coders).expect("agreement"));
    let (again, exported_again) = measure(|| {
        write_qdpx(&imported.project, Cursor::new(Vec::new()), at)
            .expect("export")
            .into_inner()
    });

    let mut out = std::io::stdout().lock();
    use std::io::Write as _;
    let _ = writeln!(
        out,
        "{transcripts} transcripts, {chars} characters, {segments} coded segments by 2 coders; archive {} bytes",
        bytes.len()
    );
    let _ = writeln!(out, "generate      {generated}");
    let _ = writeln!(out, "export        {exported}");
    let _ = writeln!(out, "import        {import}");
    let _ = writeln!(
        out,
        "agreement     {compared}  (overall kappa {:.4}, {} codes)",
        report.overall.kappa.unwrap_or(f64::NAN),
        report.codes.len()
    );
    let _ = writeln!(
        out,
        "export again  {exported_again}  (same bytes: {})",
        again == bytes
    );
}
