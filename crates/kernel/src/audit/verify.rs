//! 等保 安全审计 c) (issue 15 F7): checking that the audit log is whole. Each chain is walked
//! entry by entry (hash, link, positions without gaps) against its sealed head; the sealed
//! registry of chains — kept outside the chains' own rows and heads — names a county chain that
//! was deleted together with its head; an empty log in a database that has accounts is named;
//! and a witness file of the heads, kept off the machine by the operator, names a log rolled
//! back or cut short even by someone who could rewrite every table.

use jiuzhu_storage::DbConnection;
use jiuzhu_storage::audit::{self as store, ChainKeys};
use serde::{Deserialize, Serialize};

use super::Audit;
use crate::AppError;

/// The first problem found in a chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Break {
    /// The chain (county code or 410500; `登记` for the registry of chains).
    pub chain: String,
    /// The entry's position.
    pub seq: i64,
    /// What is wrong, in Chinese.
    pub problem: String,
}

impl std::fmt::Display for Break {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "审计链 {} 第 {} 条：{}",
            self.chain, self.seq, self.problem
        )
    }
}

/// A chain's last position and hash as a witness file keeps them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WitnessHead {
    /// The chain.
    pub chain: String,
    /// Its last position.
    pub seq: i64,
    /// The hash of that entry.
    pub hash: String,
}

/// What `verify` found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct VerifyReport {
    /// Chains checked.
    pub chains: usize,
    /// Entries checked.
    pub entries: u64,
    /// The first problem of each broken chain.
    pub breaks: Vec<Break>,
    /// Each chain's last position and hash (what a witness file keeps).
    pub heads: Vec<WitnessHead>,
    /// Things done on the way (the first sealing of a migrated registry).
    pub notes: Vec<String>,
}

impl VerifyReport {
    /// Whether every chain is intact.
    pub fn is_intact(&self) -> bool {
        self.breaks.is_empty()
    }
}

/// Entries per read while verifying (memory stays flat however long a chain is).
const VERIFY_CHUNK: i64 = 5_000;

/// The name of the registry in a [`Break`].
const REGISTRY: &str = "登记";

fn registry_break(problem: impl Into<String>) -> Break {
    Break {
        chain: REGISTRY.into(),
        seq: 0,
        problem: problem.into(),
    }
}

impl Audit {
    /// Checks every chain: each entry's hash, its link to the one before, the positions
    /// without gaps, and the sealed head; then the sealed registry of chains, so a chain
    /// deleted with its head is named. Names the first broken entry of each chain.
    pub fn verify(&self, conn: &mut DbConnection) -> Result<VerifyReport, AppError> {
        let mut report = VerifyReport::default();
        let heads = store::heads(conn)?;
        let with_rows = store::chains(conn)?;
        let mut chains = with_rows.clone();
        for h in &heads {
            if !chains.contains(&h.chain) {
                chains.push(h.chain.clone());
            }
        }
        let registered = self.check_registry(conn, &chains, &mut report)?;
        for c in &registered {
            if !chains.contains(c) {
                report.breaks.push(Break {
                    chain: c.clone(),
                    seq: 0,
                    problem: "整条审计链连同链头被删除（链的登记清单中有此链）".into(),
                });
            }
        }
        chains.sort();
        for chain in chains {
            report.chains += 1;
            let head = heads.iter().find(|h| h.chain == chain);
            let (last, last_hash, broken) = self.walk(conn, &chain, &mut report)?;
            let broken = broken.or_else(|| match head {
                None => Some(Break {
                    chain: chain.clone(),
                    seq: last,
                    problem: "链头缺失".into(),
                }),
                Some(h) if self.head_seal(&h.chain, h.seq, &h.hash) != h.seal => Some(Break {
                    chain: chain.clone(),
                    seq: h.seq,
                    problem: "链头封印无效：链头被修改".into(),
                }),
                Some(h) if h.seq != last || h.hash != last_hash => Some(Break {
                    chain: chain.clone(),
                    seq: last + 1,
                    problem: format!(
                        "链头记到第 {} 条，实际只到第 {last} 条：末尾记录被删除",
                        h.seq
                    ),
                }),
                _ => None,
            });
            report.heads.push(WitnessHead {
                chain: chain.clone(),
                seq: last,
                hash: last_hash,
            });
            if let Some(b) = broken {
                report.breaks.push(b);
            }
        }
        Ok(report)
    }

    /// Walks one chain; returns its last position, that entry's hash and the first break.
    fn walk(
        &self,
        conn: &mut DbConnection,
        chain: &str,
        report: &mut VerifyReport,
    ) -> Result<(i64, String, Option<Break>), AppError> {
        let mut prev_hash = store::GENESIS.to_owned();
        let mut expected = 1i64;
        loop {
            let rows = store::chain_entries(conn, chain, expected - 1, VERIFY_CHUNK)?;
            if rows.is_empty() {
                return Ok((expected - 1, prev_hash, None));
            }
            for r in rows {
                report.entries += 1;
                let fail = |problem: &str| Break {
                    chain: chain.to_owned(),
                    seq: expected,
                    problem: problem.to_owned(),
                };
                let problem = if r.id != expected {
                    Some(format!(
                        "缺失（下一条是第 {} 条）：有记录被删除或移动",
                        r.id
                    ))
                } else if r.prev_hash != prev_hash {
                    Some("与上一条不衔接：记录被删除、插入或调换了顺序".into())
                } else if self.entry_hash(&r.canonical()) != r.hash {
                    Some("内容与哈希不符：记录被修改".into())
                } else {
                    None
                };
                if let Some(p) = problem {
                    return Ok((expected - 1, prev_hash, Some(fail(&p))));
                }
                prev_hash = r.hash;
                expected += 1;
            }
        }
    }

    /// Checks the sealed registry of chains against the chains found; returns the registered
    /// chains. A registry left unsealed by the migration is sealed now, and said so.
    fn check_registry(
        &self,
        conn: &mut DbConnection,
        found: &[String],
        report: &mut VerifyReport,
    ) -> Result<Vec<String>, AppError> {
        match store::registry(conn)? {
            None if !found.is_empty() => {
                report.breaks.push(registry_break(
                    "审计链登记清单缺失：清单被删除，无法确认是否有整条链被删除",
                ));
                Ok(vec![])
            }
            None => {
                if store::accounts_exist(conn)? {
                    report.breaks.push(registry_break(
                        "审计日志为空，但系统中已有账户（建账户必记审计）：审计记录被整体删除",
                    ));
                }
                Ok(vec![])
            }
            Some((list, seal)) if seal.is_empty() => {
                let chains = store::registry_chains(&list);
                store::set_registry(conn, self, &chains)?;
                report.notes.push(format!(
                    "首次封印审计链登记清单（升级时登记的 {} 条链）",
                    chains.len()
                ));
                Ok(chains)
            }
            Some((list, seal)) => {
                if self.registry_seal(&list) != seal {
                    report
                        .breaks
                        .push(registry_break("审计链登记清单封印无效：清单被修改"));
                }
                let chains = store::registry_chains(&list);
                for c in found {
                    if !chains.contains(c) {
                        report.breaks.push(Break {
                            chain: c.clone(),
                            seq: 0,
                            problem: "此链不在登记清单中：链或清单被改动".into(),
                        });
                    }
                }
                Ok(chains)
            }
        }
    }

    /// Compares the log with a witness file written by an earlier verification: every chain
    /// witnessed must still exist and hold the witnessed entry with the witnessed hash —
    /// otherwise the log was cut short or rolled back (even by someone who could reseal).
    pub fn check_witness(
        &self,
        conn: &mut DbConnection,
        witness: &[WitnessHead],
    ) -> Result<Vec<Break>, AppError> {
        let mut breaks = vec![];
        for w in witness.iter().filter(|w| w.seq > 0) {
            let at = store::chain_entries(conn, &w.chain, w.seq - 1, 1)?;
            match at.first() {
                Some(r) if r.id == w.seq && r.hash == w.hash => {}
                Some(r) if r.id == w.seq => breaks.push(Break {
                    chain: w.chain.clone(),
                    seq: w.seq,
                    problem: "与见证文件记录的哈希不同：审计日志被替换或回滚".into(),
                }),
                _ => breaks.push(Break {
                    chain: w.chain.clone(),
                    seq: w.seq,
                    problem: format!(
                        "见证文件记到第 {} 条，库中已没有这一条：记录被删除或回滚",
                        w.seq
                    ),
                }),
            }
        }
        Ok(breaks)
    }
}
