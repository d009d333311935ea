//! `jiuzhu serve`: the web UI and the API over one database, on the policy in force.

use std::path::PathBuf;

use jiuzhu_app::Context;

use crate::setup::Result;

#[derive(clap::Args, Clone)]
pub(crate) struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "JIUZHU_LISTEN", default_value = "127.0.0.1:8080")]
    pub(crate) listen: String,
    /// Database connections in the pool.
    #[arg(long, env = "JIUZHU_POOL_SIZE", default_value_t = 8)]
    pub(crate) pool_size: u32,
    /// Mark the session cookie Secure (when served behind HTTPS).
    #[arg(long, env = "JIUZHU_SECURE_COOKIES")]
    pub(crate) secure_cookies: bool,
    /// Policy parameter file (a file, or a folder of files; default: the bundled policy/anyang/).
    #[arg(long, env = "JIUZHU_POLICY")]
    pub(crate) policy: Option<PathBuf>,
}

/// Serves until Ctrl-C.
pub(crate) fn serve_forever(registry: Context, serve: &ServeArgs) -> Result<()> {
    let listen = serve.listen.as_str();
    let calendar = {
        let mut conn = registry.db.conn()?;
        jiuzhu_app::calendar::load(&mut conn)?
    };
    let policy = jiuzhu_app::registry::assessment::load_policy(serve.policy.as_deref())?;
    println!("政策参数 / policy: {}（{}）", policy.file, policy.version);
    let mut state = jiuzhu_web::AppState::new(registry, calendar).with_policy(policy);
    state.secure_cookies = serve.secure_cookies;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(listen).await?;
        println!(
            "jiuzhu 已启动 / listening: http://{}/",
            listener.local_addr()?
        );
        axum::serve(
            listener,
            jiuzhu_web::router(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
        Ok(())
    })
}
