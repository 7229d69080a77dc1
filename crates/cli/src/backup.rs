//! `fika backup` and `fika restore` (docs/backup.md).
//!
//! SQLite: the store's online backup into a new SQLite file, then, with `--recipient`, that
//! file encrypted to the recipients in the age format. PostgreSQL: fika runs `pg_dump`
//! (custom format) and names the `pg_restore` command, rather than copy what PostgreSQL's
//! own tools do well.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use fika_store::backup::{self, Location};

/// How a backup is encrypted, if it is.
pub struct Encryption {
    /// age recipients (`age1…`), given one by one.
    pub recipients: Vec<String>,
    /// Files of recipients, one per line (`#` starts a comment), as age reads them.
    pub recipient_files: Vec<PathBuf>,
}

/// An age file starts with this line; an armored one with the second.
const AGE_MAGIC: &[u8] = b"age-encryption.org/v1\n";
const AGE_ARMOR: &[u8] = b"-----BEGIN AGE ENCRYPTED FILE-----";

pub fn backup(db: &str, file: &Path, encryption: Encryption) -> anyhow::Result<ExitCode> {
    if file.exists() {
        bail!(
            "{} is there already: a backup never replaces a file; name a new one",
            file.display()
        );
    }
    let recipients = recipients(&encryption)?;
    // Written beside the backup and renamed into place at the end, so that a backup that
    // fails leaves nothing behind that could be taken for one. Made readable by its owner
    // only (tempfile's default), as the backup holds every participant's record.
    let dir = match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let plain = tempfile::Builder::new()
        .prefix(".fika-backup-")
        .tempfile_in(dir)
        .with_context(|| format!("cannot write in {}", dir.display()))?
        .into_temp_path();
    let kind = match Location::of(db)? {
        Location::Sqlite(path) => {
            // The store makes the copy itself, as a new file.
            std::fs::remove_file(&plain)?;
            backup::backup_sqlite(&path, &plain)?;
            "SQLite database"
        }
        Location::Postgres { url, schema } => {
            pg_dump(&url, schema.as_deref(), &plain, file)?;
            "pg_dump archive (custom format)"
        }
    };
    match recipients {
        None => {
            plain
                .persist_noclobber(file)
                .with_context(|| format!("cannot write {}", file.display()))?;
            println!("Backed up {db} to {} ({kind}).", file.display());
        }
        Some(recipients) => {
            let sealed = tempfile::Builder::new()
                .prefix(".fika-backup-")
                .tempfile_in(dir)
                .with_context(|| format!("cannot write in {}", dir.display()))?;
            encrypt(&plain, sealed.as_file(), recipients)?;
            sealed
                .persist_noclobber(file)
                .with_context(|| format!("cannot write {}", file.display()))?;
            // The plain copy is removed when `plain` is dropped.
            println!(
                "Backed up {db} to {} ({kind}, encrypted with age).",
                file.display()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn restore(db: &str, file: &Path, identity: Option<&Path>) -> anyhow::Result<ExitCode> {
    let head = {
        let mut f =
            std::fs::File::open(file).with_context(|| format!("cannot read {}", file.display()))?;
        let mut head = vec![0; AGE_ARMOR.len()];
        let n = read_up_to(&mut f, &mut head)?;
        head.truncate(n);
        head
    };
    let encrypted = head.starts_with(AGE_MAGIC) || head.starts_with(AGE_ARMOR);
    match Location::of(db)? {
        Location::Postgres { url, .. } => {
            let shown = backup::redact(&url);
            let (decrypt, dump) = if encrypted {
                (
                    format!(
                        "age --decrypt --identity KEY_FILE --output fika.dump {}\n  ",
                        file.display()
                    ),
                    Path::new("fika.dump"),
                )
            } else {
                (String::new(), file)
            };
            let args = backup::pg_restore_args(&shown, dump);
            bail!(
                "fika restore restores SQLite backups; a PostgreSQL database is restored by PostgreSQL's own pg_restore, into an empty database:\n  {decrypt}pg_restore {}",
                args.join(" ")
            );
        }
        Location::Sqlite(path) => {
            let restored_from = if encrypted {
                let Some(identity) = identity else {
                    bail!(
                        "{} is encrypted with age: give the key that opens it with --identity FILE",
                        file.display()
                    );
                };
                let dir = match path.parent() {
                    Some(p) if !p.as_os_str().is_empty() => p,
                    _ => Path::new("."),
                };
                let plain = tempfile::Builder::new()
                    .prefix(".fika-restore-")
                    .tempfile_in(dir)
                    .with_context(|| format!("cannot write in {}", dir.display()))?;
                decrypt(file, identity, plain.as_file())?;
                let plain = plain.into_temp_path();
                backup::restore_sqlite(&plain, &path)?;
                drop(plain);
                "encrypted backup"
            } else {
                if identity.is_some() {
                    bail!("{} is not encrypted: leave out --identity", file.display());
                }
                backup::restore_sqlite(file, &path)?;
                "backup"
            };
            println!(
                "Restored the {restored_from} {} into {}.",
                file.display(),
                path.display()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// Runs `pg_dump` into `file`, the backup `shown` will become; says what to do when
/// `pg_dump` cannot be run.
fn pg_dump(url: &str, schema: Option<&str>, file: &Path, shown: &Path) -> anyhow::Result<()> {
    let args = backup::pg_dump_args(url, schema, file);
    let shown: Vec<String> = backup::pg_dump_args(&backup::redact(url), schema, shown);
    let status = std::process::Command::new("pg_dump")
        .args(&args)
        .status()
        .map_err(|e| {
            anyhow::anyhow!(
                "a PostgreSQL database is backed up by PostgreSQL's pg_dump, which could not be run ({e}): install PostgreSQL's client tools (Debian: postgresql-client, of the server's version or newer), then run fika backup again, or run yourself:\n  pg_dump {}",
                shown.join(" ")
            )
        })?;
    if !status.success() {
        bail!(
            "pg_dump failed ({status}); its message is above. The command was:\n  pg_dump {}",
            shown.join(" ")
        );
    }
    Ok(())
}

#[cfg(feature = "age")]
fn recipients(encryption: &Encryption) -> anyhow::Result<Option<Vec<age::x25519::Recipient>>> {
    let mut found = Vec::new();
    let parse = |text: &str, place: &str| -> anyhow::Result<age::x25519::Recipient> {
        text.parse().map_err(|e| {
            anyhow::anyhow!(
                "{place}: {text:?} is not an age recipient ({e}); give a public key that starts with age1, as age-keygen prints it"
            )
        })
    };
    for r in &encryption.recipients {
        found.push(parse(r.trim(), "--recipient")?);
    }
    for path in &encryption.recipient_files {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let before = found.len();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            found.push(parse(line, &format!("{} line {}", path.display(), i + 1))?);
        }
        if found.len() == before {
            bail!(
                "{} holds no recipient: put one public key (age1…) on a line",
                path.display()
            );
        }
    }
    Ok((!found.is_empty()).then_some(found))
}

#[cfg(not(feature = "age"))]
fn recipients(encryption: &Encryption) -> anyhow::Result<Option<Vec<()>>> {
    if encryption.recipients.is_empty() && encryption.recipient_files.is_empty() {
        return Ok(None);
    }
    bail!(
        "this fika was built without age encryption (cargo feature `age`); build it with the feature, or encrypt the backup with age yourself"
    )
}

#[cfg(feature = "age")]
fn encrypt(
    plain: &Path,
    out: &std::fs::File,
    recipients: Vec<age::x25519::Recipient>,
) -> anyhow::Result<()> {
    use std::io::Write;
    let encryptor =
        age::Encryptor::with_recipients(recipients.iter().map(|r| r as &dyn age::Recipient))
            .context("cannot encrypt the backup")?;
    let mut input =
        std::fs::File::open(plain).with_context(|| format!("cannot read {}", plain.display()))?;
    let mut writer = encryptor
        .wrap_output(std::io::BufWriter::new(out))
        .context("cannot write the encrypted backup")?;
    std::io::copy(&mut input, &mut writer).context("cannot write the encrypted backup")?;
    writer
        .finish()
        .and_then(|mut w| w.flush())
        .context("cannot write the encrypted backup")?;
    out.sync_all()?;
    Ok(())
}

#[cfg(not(feature = "age"))]
fn encrypt(_: &Path, _: &std::fs::File, _: Vec<()>) -> anyhow::Result<()> {
    unreachable!("recipients() refuses encryption without the age feature")
}

#[cfg(feature = "age")]
fn decrypt(file: &Path, identity: &Path, out: &std::fs::File) -> anyhow::Result<()> {
    use std::io::Write;
    let identities = age::IdentityFile::from_file(identity.to_string_lossy().into_owned())
        .with_context(|| format!("cannot read the key in {}", identity.display()))?
        .into_identities()
        .with_context(|| {
            format!(
                "{} holds no age key (AGE-SECRET-KEY-1…)",
                identity.display()
            )
        })?;
    let input =
        std::fs::File::open(file).with_context(|| format!("cannot read {}", file.display()))?;
    let decryptor = age::Decryptor::new_buffered(age::armor::ArmoredReader::new(
        std::io::BufReader::new(input),
    ))
    .with_context(|| format!("{} is not a readable age file", file.display()))?;
    let mut reader = decryptor
        .decrypt(identities.iter().map(|i| i.as_ref() as &dyn age::Identity))
        .map_err(|e| {
            anyhow::anyhow!(
                "cannot decrypt {} with the key in {} ({e}): give the key whose public key the backup was made for",
                file.display(),
                identity.display()
            )
        })?;
    let mut writer = std::io::BufWriter::new(out);
    std::io::copy(&mut reader, &mut writer)
        .with_context(|| format!("cannot decrypt {}: is it whole?", file.display()))?;
    writer.flush()?;
    Ok(())
}

#[cfg(not(feature = "age"))]
fn decrypt(file: &Path, _: &Path, _: &std::fs::File) -> anyhow::Result<()> {
    bail!(
        "{} is encrypted with age, and this fika was built without age (cargo feature `age`): decrypt it with age first",
        file.display()
    )
}
