//! An in-process TCP proxy that misbehaves on purpose: it refuses some
//! connections, delays some, and cuts others in the middle of the request or
//! of the response. Which connection gets which fault comes from a seeded
//! generator, so a failing run can be replayed.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Mutex;
use tokio::task::JoinHandle;

/// What happens to one connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    Pass,
    /// Closed at once, before anything reaches the server.
    Refuse,
    /// Forwarded after a pause.
    Delay(Duration),
    /// Only the first `n` bytes of the request reach the server.
    CutRequest(usize),
    /// The server gets the whole request and answers, but only the first
    /// `n` bytes of its answer reach the client.
    CutResponse(usize),
}

/// How many connections got each fault.
#[derive(Debug, Default)]
pub struct FaultCounts {
    pub passed: AtomicU64,
    pub refused: AtomicU64,
    pub delayed: AtomicU64,
    pub cut_requests: AtomicU64,
    pub cut_responses: AtomicU64,
}

pub struct FaultProxy {
    pub url: String,
    pub counts: Arc<FaultCounts>,
    task: JoinHandle<()>,
}

impl FaultProxy {
    /// Proxies to `upstream`; `healthy` is the share of connections left
    /// alone (0.0 to 1.0), the rest split evenly between the faults.
    pub async fn start(upstream: SocketAddr, seed: u64, healthy: f64) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let address = listener.local_addr().expect("proxy address");
        let counts = Arc::new(FaultCounts::default());
        let random = Arc::new(Mutex::new(StdRng::seed_from_u64(seed)));
        let task = {
            let counts = Arc::clone(&counts);
            tokio::spawn(async move {
                while let Ok((client, _)) = listener.accept().await {
                    let fault = choose(&mut *random.lock().await, healthy);
                    tokio::spawn(handle(client, upstream, fault, Arc::clone(&counts)));
                }
            })
        };
        Self {
            url: format!("http://{address}"),
            counts,
            task,
        }
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn choose(random: &mut StdRng, healthy: f64) -> Fault {
    if random.random_bool(healthy.clamp(0.0, 1.0)) {
        return Fault::Pass;
    }
    match random.random_range(0..4) {
        0 => Fault::Refuse,
        1 => Fault::Delay(Duration::from_millis(random.random_range(1..200))),
        2 => Fault::CutRequest(random.random_range(1..600)),
        _ => Fault::CutResponse(random.random_range(0..200)),
    }
}

async fn handle(
    mut client: TcpStream,
    upstream: SocketAddr,
    fault: Fault,
    counts: Arc<FaultCounts>,
) {
    let counter = match fault {
        Fault::Pass => &counts.passed,
        Fault::Refuse => &counts.refused,
        Fault::Delay(_) => &counts.delayed,
        Fault::CutRequest(_) => &counts.cut_requests,
        Fault::CutResponse(_) => &counts.cut_responses,
    };
    counter.fetch_add(1, Ordering::Relaxed);
    match fault {
        Fault::Refuse => {
            let _ = client.shutdown().await;
            return;
        }
        Fault::Delay(pause) => tokio::time::sleep(pause).await,
        _ => {}
    }
    let Ok(mut server) = TcpStream::connect(upstream).await else {
        return;
    };
    let (request_limit, response_limit) = match fault {
        Fault::CutRequest(bytes) => (Some(bytes), None),
        Fault::CutResponse(bytes) => (None, Some(bytes)),
        _ => (None, None),
    };
    let (mut client_read, mut client_write) = client.split();
    let (mut server_read, mut server_write) = server.split();
    // Whichever direction ends (or is cut) first ends the connection.
    tokio::select! {
        () = copy(&mut client_read, &mut server_write, request_limit) => {}
        () = copy(&mut server_read, &mut client_write, response_limit) => {}
    }
}

/// Copies until end of stream, an error, or `limit` bytes.
async fn copy<R, W>(from: &mut R, to: &mut W, limit: Option<usize>)
where
    R: AsyncReadExt + Unpin,
    W: AsyncWriteExt + Unpin,
{
    let mut buffer = vec![0_u8; 16 << 10];
    let mut left = limit.unwrap_or(usize::MAX);
    while left > 0 {
        let wanted = buffer.len().min(left);
        let read = match from.read(&mut buffer[..wanted]).await {
            Ok(0) | Err(_) => return,
            Ok(read) => read,
        };
        if to.write_all(&buffer[..read]).await.is_err() {
            return;
        }
        left -= read;
    }
}
