//! The keys: one SM4 key for field encryption and one HMAC key for blind indexes, kept apart
//! so that leaking the index key reveals nothing decryptable. The default provider is a key
//! file created on first run, readable by its owner only (mode 0600).

use std::io::Write;
use std::path::Path;

use rand::RngCore;
use serde::{Deserialize, Serialize};

use crate::primitives::{BlindIndex, FieldCipher};

/// Why the keys could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The file could not be read or written.
    #[error("密钥文件 {path} 无法读写：{reason}")]
    Io {
        /// The file.
        path: String,
        /// What went wrong.
        reason: String,
    },
    /// The file is not a jiuzhu key file.
    #[error("密钥文件 {0} 格式错误")]
    Format(String),
    /// Others than the owner may read the file.
    #[error("密钥文件 {0} 的权限过宽，应为 0600（仅所有者可读写）")]
    Permissions(String),
}

#[derive(Serialize, Deserialize)]
struct KeyFile {
    /// Hex SM4 key (16 bytes), version 1; empty once version 1 is retired.
    #[serde(default)]
    field_key: String,
    /// Hex HMAC-SM3 key (32 bytes). Not rotated: every blind index and audit hash depends on it.
    index_key: String,
    /// Later SM4 key versions (2, 3 …), hex, added by rotation.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    field_keys: std::collections::BTreeMap<u32, String>,
    /// The version new values are sealed with (none: 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    current_field_key: Option<u32>,
}

impl KeyFile {
    fn field_versions(&self, bad: &dyn Fn() -> KeyError) -> Result<Vec<(u32, [u8; 16])>, KeyError> {
        let mut out = vec![];
        if !self.field_key.is_empty() {
            out.push((1, hex16(&self.field_key).ok_or_else(bad)?));
        }
        for (v, k) in &self.field_keys {
            out.push((*v, hex16(k).ok_or_else(bad)?));
        }
        Ok(out)
    }

    fn current(&self) -> u32 {
        self.current_field_key.unwrap_or(1)
    }
}

fn hex16(h: &str) -> Option<[u8; 16]> {
    hex::decode(h).ok()?.try_into().ok()
}

/// Where the keys come from. The platform asks a provider once at start-up; the key file is
/// the provider shipped, and a KMS or HSM adapter implements the same trait.
pub trait KeyProvider {
    /// The keys, or why they cannot be had (the server then refuses to start).
    fn keys(&self) -> Result<Keys, KeyError>;
}

/// The key file: created with fresh random keys (mode 0600) on first run, refused if others
/// may read it.
#[derive(Debug, Clone)]
pub struct KeyFileProvider(pub std::path::PathBuf);

impl KeyProvider for KeyFileProvider {
    fn keys(&self) -> Result<Keys, KeyError> {
        Keys::load_or_create(&self.0)
    }
}

/// The field cipher and the blind index.
#[derive(Clone)]
pub struct Keys {
    /// SM4-GCM for sensitive fields.
    pub cipher: FieldCipher,
    /// HMAC-SM3 for lookups.
    pub index: BlindIndex,
}

impl Keys {
    /// Keys from raw material (tests, a KMS).
    pub fn from_bytes(field_key: [u8; 16], index_key: [u8; 32]) -> Self {
        Keys {
            cipher: FieldCipher::new(&field_key),
            index: BlindIndex::new(&index_key),
        }
    }

    /// Loads the key file at `path`, creating it with fresh random keys (mode 0600) if it
    /// does not exist. A file others may read is refused.
    pub fn load_or_create(path: &Path) -> Result<Self, KeyError> {
        let io = |e: std::io::Error| KeyError::Io {
            path: path.display().to_string(),
            reason: e.to_string(),
        };
        if !path.exists() {
            let mut field_key = [0u8; 16];
            let mut index_key = [0u8; 32];
            rand::rng().fill_bytes(&mut field_key);
            rand::rng().fill_bytes(&mut index_key);
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).map_err(io)?;
            }
            let body = serde_json::to_string_pretty(&KeyFile {
                field_key: hex::encode(field_key),
                index_key: hex::encode(index_key),
                field_keys: Default::default(),
                current_field_key: None,
            })
            .expect("serialisable");
            let mut opts = std::fs::OpenOptions::new();
            opts.write(true).create_new(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                opts.mode(0o600);
            }
            let mut f = opts.open(path).map_err(io)?;
            f.write_all(body.as_bytes()).map_err(io)?;
            return Ok(Self::from_bytes(field_key, index_key));
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(path).map_err(io)?.permissions().mode();
            if mode & 0o077 != 0 {
                return Err(KeyError::Permissions(path.display().to_string()));
            }
        }
        let file = read_file(path)?;
        let bad = || KeyError::Format(path.display().to_string());
        let index_key: [u8; 32] = hex::decode(&file.index_key)
            .map_err(|_| bad())?
            .try_into()
            .map_err(|_| bad())?;
        let versions = file.field_versions(&bad)?;
        if !versions.iter().any(|(v, _)| *v == file.current()) {
            return Err(bad());
        }
        Ok(Keys {
            cipher: FieldCipher::with_versions(file.current(), &versions),
            index: BlindIndex::new(&index_key),
        })
    }

    /// Adds a new SM4 key version to the key file and makes it current; returns its number.
    /// Running servers keep sealing with the old version until restarted; the old version keeps
    /// opening what it sealed until [`Keys::retire_field_key`] removes it.
    pub fn rotate_field_key(path: &Path) -> Result<u32, KeyError> {
        let mut file = read_file(path)?;
        let bad = || KeyError::Format(path.display().to_string());
        let next = file
            .field_versions(&bad)?
            .iter()
            .map(|(v, _)| *v)
            .max()
            .unwrap_or(0)
            .max(file.current())
            + 1;
        let mut key = [0u8; 16];
        rand::rng().fill_bytes(&mut key);
        file.field_keys.insert(next, hex::encode(key));
        file.current_field_key = Some(next);
        write_file(path, &file)?;
        Ok(next)
    }

    /// Removes a key version that is no longer current (the caller has checked nothing is still
    /// sealed with it).
    pub fn retire_field_key(path: &Path, version: u32) -> Result<(), KeyError> {
        let mut file = read_file(path)?;
        if version == file.current() {
            return Err(KeyError::Format(format!(
                "{}：v{version} 是当前密钥，不能停用",
                path.display()
            )));
        }
        if version == 1 {
            file.field_key.clear();
        } else if file.field_keys.remove(&version).is_none() {
            return Err(KeyError::Format(format!(
                "{}：没有密钥版本 v{version}",
                path.display()
            )));
        }
        write_file(path, &file)
    }
}

fn read_file(path: &Path) -> Result<KeyFile, KeyError> {
    let text = std::fs::read_to_string(path).map_err(|e| KeyError::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    serde_json::from_str(&text).map_err(|_| KeyError::Format(path.display().to_string()))
}

/// Replaces the key file atomically: a new 0600 file beside it, renamed over it.
fn write_file(path: &Path, file: &KeyFile) -> Result<(), KeyError> {
    let io = |e: std::io::Error| KeyError::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    };
    let tmp = path.with_extension("key.new");
    let _ = std::fs::remove_file(&tmp);
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(&tmp).map_err(io)?;
    f.write_all(
        serde_json::to_string_pretty(file)
            .expect("serialisable")
            .as_bytes(),
    )
    .map_err(io)?;
    f.sync_all().map_err(io)?;
    std::fs::rename(&tmp, path).map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_file_is_created_once_private_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys/jiuzhu.key");
        let a = Keys::load_or_create(&path).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
        let b = Keys::load_or_create(&path).unwrap();
        let stored = a.cipher.encrypt("f", "secret");
        assert_eq!(
            b.cipher.decrypt("f", &stored).unwrap(),
            "secret",
            "the same keys come back"
        );
        assert_eq!(a.index.index("k", "v"), b.index.index("k", "v"));
    }

    #[cfg(unix)]
    #[test]
    fn a_key_file_others_can_read_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("jiuzhu.key");
        Keys::load_or_create(&path).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(matches!(
            Keys::load_or_create(&path),
            Err(KeyError::Permissions(_))
        ));
    }

    #[test]
    fn a_rotated_key_seals_new_values_and_the_old_one_opens_old_values_until_retired() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("jiuzhu.key");
        let v1 = Keys::load_or_create(&path).unwrap();
        let old = v1.cipher.encrypt("f", "secret");
        assert_eq!(Keys::rotate_field_key(&path).unwrap(), 2);
        let v2 = Keys::load_or_create(&path).unwrap();
        assert_eq!(v2.cipher.current_version(), 2);
        assert_eq!(v2.cipher.decrypt("f", &old).unwrap(), "secret");
        let new = v2.cipher.encrypt("f", "secret");
        assert!(new.starts_with("v2:"));
        assert_eq!(
            v2.index.index("k", "v"),
            v1.index.index("k", "v"),
            "index key kept"
        );
        assert!(
            Keys::retire_field_key(&path, 2).is_err(),
            "the current key stays"
        );
        Keys::retire_field_key(&path, 1).unwrap();
        let after = Keys::load_or_create(&path).unwrap();
        assert!(after.cipher.decrypt("f", &old).is_err());
        assert_eq!(after.cipher.decrypt("f", &new).unwrap(), "secret");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
        assert_eq!(Keys::rotate_field_key(&path).unwrap(), 3);
    }

    #[test]
    fn a_damaged_key_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("jiuzhu.key");
        Keys::load_or_create(&path).unwrap();
        std::fs::write(&path, "{\"field_key\": \"00\", \"index_key\": \"00\"}").unwrap();
        assert!(matches!(
            Keys::load_or_create(&path),
            Err(KeyError::Format(_))
        ));
    }
}
