//! The devnet node: the IO around the pure [`Chain`] — the data dir, the redb database, the
//! test account, the block timer (the only use of the wall clock) and the HTTP server.
//!
//! Data dir layout: `chain.redb` (table `state`, key `chain`: the JSON snapshot of
//! [`Chain::snapshot`], written after every block) and `test-mnemonic` (mode 0600: the funded
//! test account's 24 words, generated from the OS RNG at first start). Txs accepted but not yet
//! in a block when the node stops are lost, as with a real node's mempool.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use leasekit_tx::Signer as _;
use redb::{Database, TableDefinition};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::chain::{Chain, Genesis};
use crate::providers::ProviderConfig;
use crate::rest::{self, RestState};

const STATE: TableDefinition<&str, &[u8]> = TableDefinition::new("state");
const STATE_KEY: &str = "chain";
const MNEMONIC_FILE: &str = "test-mnemonic";
const DB_FILE: &str = "chain.redb";

/// The test account's genesis balance: 1000 AKT.
pub const TEST_UAKT: u128 = 1_000_000_000;
/// The test account's genesis balance: 100 ACT.
pub const TEST_UACT: u128 = 100_000_000;

/// How to start a devnet.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where the database and the test mnemonic live (created if missing).
    pub data_dir: PathBuf,
    /// REST listen address; port 0 picks a free one. Default `127.0.0.1:1317`.
    pub listen: SocketAddr,
    /// Chain id. Default `leasekit-devnet-1`.
    pub chain_id: String,
    /// `application_version.version` in node_info. Default `v2.0.1`.
    pub app_version: String,
    /// Block interval. Default 1 s.
    pub block_time: Duration,
    /// Providers registered at genesis (ignored when the data dir already holds a chain).
    pub providers: Vec<ProviderConfig>,
}

impl Config {
    /// Defaults with `data_dir` and two simulated providers whose host URI is
    /// `https://127.0.0.1:8443`.
    #[must_use]
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        Config {
            data_dir: data_dir.into(),
            listen: SocketAddr::from(([127, 0, 0, 1], 1317)),
            chain_id: "leasekit-devnet-1".to_owned(),
            app_version: "v2.0.1".to_owned(),
            block_time: Duration::from_secs(1),
            providers: ProviderConfig::default_set(2, "https://127.0.0.1:8443"),
        }
    }
}

/// A running devnet.
pub struct Handle {
    /// The REST's bound address.
    pub addr: SocketAddr,
    /// Chain id.
    pub chain_id: String,
    /// The funded test account's mnemonic (print it for the user; it is devnet-only).
    pub mnemonic: String,
    /// Its address.
    pub address: String,
    chain: Arc<Mutex<Chain>>,
    stop: Option<oneshot::Sender<()>>,
    blocks: JoinHandle<()>,
    server: JoinHandle<()>,
}

impl std::fmt::Debug for Handle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Handle").field("addr", &self.addr).field("chain_id", &self.chain_id).finish_non_exhaustive()
    }
}

impl Handle {
    /// The chain, for in-process users such as the provider gateway (lock briefly).
    #[must_use]
    pub fn chain(&self) -> Arc<Mutex<Chain>> {
        Arc::clone(&self.chain)
    }

    /// The REST base URL, `http://127.0.0.1:PORT`.
    #[must_use]
    pub fn rest_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops the server and the block timer, saving the state once more.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = (&mut self.blocks).await;
        self.server.abort();
        let _ = (&mut self.server).await;
    }
}

fn io(e: impl std::fmt::Display) -> std::io::Error {
    std::io::Error::other(e.to_string())
}

fn load(db: &Database) -> std::io::Result<Option<Chain>> {
    let read = db.begin_read().map_err(io)?;
    let table = match read.open_table(STATE) {
        Ok(t) => t,
        Err(redb::TableError::TableDoesNotExist(_)) => return Ok(None),
        Err(e) => return Err(io(e)),
    };
    match table.get(STATE_KEY).map_err(io)? {
        Some(bytes) => Chain::restore(bytes.value()).map(Some).map_err(io),
        None => Ok(None),
    }
}

fn save(db: &Database, chain: &Mutex<Chain>) -> std::io::Result<()> {
    let bytes = chain.lock().unwrap_or_else(std::sync::PoisonError::into_inner).snapshot().map_err(io)?;
    let write = db.begin_write().map_err(io)?;
    {
        let mut table = write.open_table(STATE).map_err(io)?;
        table.insert(STATE_KEY, bytes.as_slice()).map_err(io)?;
    }
    write.commit().map_err(io)
}

fn read_or_create_mnemonic(dir: &Path) -> std::io::Result<String> {
    let path = dir.join(MNEMONIC_FILE);
    if let Ok(text) = std::fs::read_to_string(&path) {
        return Ok(text.trim().to_owned());
    }
    let mut entropy = zeroize::Zeroizing::new([0u8; 32]);
    getrandom::fill(entropy.as_mut()).map_err(io)?;
    let phrase = leasekit_tx::MnemonicSigner::generate_mnemonic(&entropy);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    std::io::Write::write_all(&mut options.open(&path)?, phrase.as_bytes())?;
    Ok(phrase.to_string())
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// Starts a devnet: loads or creates the chain in `config.data_dir`, binds the REST and starts
/// producing blocks.
pub async fn start(config: Config) -> std::io::Result<Handle> {
    std::fs::create_dir_all(&config.data_dir)?;
    let mnemonic = read_or_create_mnemonic(&config.data_dir)?;
    let address = leasekit_tx::MnemonicSigner::from_mnemonic(&mnemonic, 0).map_err(|e| io(e.message))?.address();
    let db = Arc::new(Database::create(config.data_dir.join(DB_FILE)).map_err(io)?);
    let chain = match load(&db)? {
        Some(chain) => chain,
        None => Chain::genesis(&Genesis {
            chain_id: config.chain_id.clone(),
            time_ms: now_ms(),
            accounts: vec![(address.clone(), TEST_UAKT, TEST_UACT)],
            providers: config.providers.clone(),
        }),
    };
    let chain_id = chain.state().chain_id.clone();
    let chain = Arc::new(Mutex::new(chain));
    save(&db, &chain)?;

    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    let addr = listener.local_addr()?;
    let app = rest::router(RestState {
        chain: Arc::clone(&chain),
        app_version: config.app_version.clone(),
        preflights: Arc::default(),
    });
    let server = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });

    let (stop, mut stopped) = oneshot::channel::<()>();
    let block_chain = Arc::clone(&chain);
    let block_time = config.block_time;
    let blocks = tokio::spawn(async move {
        let mut ticks = tokio::time::interval(block_time);
        ticks.tick().await;
        loop {
            tokio::select! {
                _ = ticks.tick() => {
                    block_chain.lock().unwrap_or_else(std::sync::PoisonError::into_inner).deliver_block(now_ms());
                    let (db, chain) = (Arc::clone(&db), Arc::clone(&block_chain));
                    // redb writes synchronously (fsync); keep them off the async workers.
                    let _ = tokio::task::spawn_blocking(move || save(&db, &chain)).await;
                }
                _ = &mut stopped => {
                    let (db, chain) = (Arc::clone(&db), Arc::clone(&block_chain));
                    let _ = tokio::task::spawn_blocking(move || save(&db, &chain)).await;
                    break;
                }
            }
        }
    });
    Ok(Handle { addr, chain_id, mnemonic, address, chain, stop: Some(stop), blocks, server })
}
