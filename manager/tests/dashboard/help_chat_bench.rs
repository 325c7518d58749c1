//! Benchmark (ignored by default): live help with 200 conversations at
//! once, in 10 centres with one supervisor each whose help page is open;
//! every conversation gets a message every 5 s each way. Measured: the
//! delivery latency kiosk → the supervisor's event stream, and staff form →
//! the kiosk's long poll; and the CPU the test process used (the manager
//! and, in the same process, the 200 kiosks' clients and 10 streams'
//! readers), as a share of one core.
//!
//! cargo test -p plaza-manager --test dashboard help_chat_bench -- --ignored --nocapture

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::future::join_all;
use plaza_api::help_chat::MessageAuthor;
use plaza_api::staff::Role;
use plaza_manager::testing::TestManager;
use reqwest::{Client, StatusCode};

use crate::bench::percentile;
use crate::common::{add_user, csrf_of, page, signed_in};
use crate::help_chat::{kiosk_client, open_stream};

const CENTRES: usize = 10;
const CHATS_PER_CENTRE: usize = 20;
const ROUNDS: usize = 12;
const PERIOD: Duration = Duration::from_secs(5);

/// When each message left, by its marker.
type Sent = Arc<Mutex<HashMap<String, Instant>>>;
type Latencies = Arc<Mutex<Vec<Duration>>>;

fn marker(from_kiosk: bool, chat: usize, round: usize) -> String {
    let side = if from_kiosk { 'k' } else { 's' };
    format!("bench{side}{chat}x{round}z")
}

/// Every marker of `side` in `text`.
fn markers_in(text: &str, side: char) -> Vec<String> {
    let start = format!("bench{side}");
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(&start) {
        let tail = &rest[at..];
        match tail.find('z') {
            Some(end) => {
                found.push(tail[..=end].to_owned());
                rest = &tail[end..];
            }
            None => break,
        }
    }
    found
}

/// The process's user + system CPU time, from `/proc/self/stat`.
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").expect("stat");
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .expect("comm")
        .1
        .split_whitespace()
        .collect();
    let ticks: u64 =
        fields[11].parse::<u64>().expect("utime") + fields[12].parse::<u64>().expect("stime");
    // USER_HZ is 100 on Linux.
    Duration::from_millis(ticks * 10)
}

fn record(sent: &Sent, latencies: &Latencies, marker: &str) {
    if let Some(at) = sent.lock().expect("sent").remove(marker) {
        latencies.lock().expect("latencies").push(at.elapsed());
    }
}

struct Staff {
    client: Client,
    csrf: String,
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "benchmark: run with --ignored --nocapture"]
async fn help_chat_bench_with_two_hundred_conversations() {
    let manager = Arc::new(TestManager::start().await);
    let mut staff = Vec::with_capacity(CENTRES);
    let mut kiosks = Vec::with_capacity(CENTRES * CHATS_PER_CENTRE);
    for centre in 0..CENTRES {
        let name = format!("Centro {centre}");
        manager.add_centre(&name, &[]).await;
        let login = format!("supervisor{centre}");
        add_user(&manager, &login, Role::Supervisor, &[&name]).await;
        let client = signed_in(&manager, &login).await;
        let (_, html) = page(&client, &manager, "/dashboard/help").await;
        staff.push(Staff {
            csrf: csrf_of(&html),
            client,
        });
        for index in 0..CHATS_PER_CENTRE {
            let kiosk = manager
                .enrol_kiosk(&name, &format!("pc-{centre}-{index}"))
                .await;
            kiosks.push((centre, (kiosk.kiosk_id, kiosk.token)));
        }
    }
    let to_staff: Sent = Arc::default();
    let to_kiosk: Sent = Arc::default();
    let kiosk_to_staff: Latencies = Arc::default();
    let staff_to_kiosk: Latencies = Arc::default();

    // Each supervisor's stream, read for markers of their centre's kiosks.
    let mut readers = Vec::with_capacity(CENTRES);
    for member in &staff {
        let mut stream = open_stream(&manager, &member.client).await;
        let (sent, latencies) = (to_staff.clone(), kiosk_to_staff.clone());
        readers.push(tokio::spawn(async move {
            let mut buffer = String::new();
            while let Ok(Some(chunk)) = stream.chunk().await {
                buffer.push_str(&String::from_utf8_lossy(&chunk));
                while let Some(end) = buffer.find("\n\n") {
                    let event: String = buffer.drain(..end + 2).collect();
                    for marker in markers_in(&event, 'k') {
                        record(&sent, &latencies, &marker);
                    }
                }
            }
        }));
    }

    let mut conversations = Vec::with_capacity(kiosks.len());
    for (chat, (centre, kiosk)) in kiosks.iter().enumerate() {
        let help = kiosk_client(&manager, kiosk).help_chat().expect("enrolled");
        let opened = help
            .open(&format!("Hola, soy la conversación {chat}"))
            .await
            .expect("open");
        conversations.push((chat, *centre, help, opened.id, opened.messages[0].id));
    }

    let started = Instant::now();
    let cpu_before = cpu_time();
    let staff = Arc::new(staff);
    let chats = conversations
        .into_iter()
        .map(|(chat, centre, help, id, first)| {
            let (manager, staff) = (manager.clone(), staff.clone());
            let (to_staff, to_kiosk, staff_to_kiosk) =
                (to_staff.clone(), to_kiosk.clone(), staff_to_kiosk.clone());
            async move {
                let poller = {
                    let help = help.clone();
                    let (to_kiosk, staff_to_kiosk) = (to_kiosk.clone(), staff_to_kiosk.clone());
                    tokio::spawn(async move {
                        let (mut after, mut answers) = (first, 0);
                        while answers < ROUNDS {
                            let news = help.wait_for_messages(id, after, 25).await.expect("poll");
                            for message in news.messages {
                                after = after.max(message.id);
                                if message.author == MessageAuthor::Staff {
                                    answers += 1;
                                    for marker in markers_in(&message.text, 's') {
                                        record(&to_kiosk, &staff_to_kiosk, &marker);
                                    }
                                }
                            }
                        }
                    })
                };
                // Spread the conversations over the period, as people type.
                let offset = PERIOD * u32::try_from(chat).expect("fits")
                    / u32::try_from(CENTRES * CHATS_PER_CENTRE).expect("fits");
                let mut ticks =
                    tokio::time::interval_at(tokio::time::Instant::now() + offset, PERIOD);
                let member = &staff[centre];
                let reply = manager.url(&format!("/dashboard/help/{id}/reply"));
                for round in 0..ROUNDS {
                    ticks.tick().await;
                    let from_kiosk = marker(true, chat, round);
                    to_staff
                        .lock()
                        .expect("sent")
                        .insert(from_kiosk.clone(), Instant::now());
                    help.send(id, &format!("Pregunta {from_kiosk}"))
                        .await
                        .expect("send");
                    let from_staff = marker(false, chat, round);
                    to_kiosk
                        .lock()
                        .expect("sent")
                        .insert(from_staff.clone(), Instant::now());
                    let text = format!("Respuesta {from_staff}");
                    let answered = member
                        .client
                        .post(&reply)
                        .form(&[("csrf", member.csrf.as_str()), ("text", text.as_str())])
                        .send()
                        .await
                        .expect("reply");
                    assert_eq!(answered.status(), StatusCode::SEE_OTHER, "reply");
                }
                poller.await.expect("poller");
            }
        });
    join_all(chats).await;
    let wall = started.elapsed();
    let cpu = cpu_time() - cpu_before;
    for reader in readers {
        reader.abort();
    }

    let expected = CENTRES * CHATS_PER_CENTRE * ROUNDS;
    let mut up = kiosk_to_staff.lock().expect("latencies").clone();
    let mut down = staff_to_kiosk.lock().expect("latencies").clone();
    assert_eq!(down.len(), expected, "every answer reached its kiosk");
    println!(
        "live help: {} conversations in {CENTRES} centres, a message every {PERIOD:?} each way, {ROUNDS} rounds ({wall:.1?}):",
        CENTRES * CHATS_PER_CENTRE
    );
    println!(
        "  kiosk → supervisor's stream: {} of {expected} seen, p50 {:.1?}, p99 {:.1?}",
        up.len(),
        percentile(&mut up, 0.5),
        percentile(&mut up, 0.99)
    );
    println!(
        "  staff form → kiosk's long poll: p50 {:.1?}, p99 {:.1?}",
        percentile(&mut down, 0.5),
        percentile(&mut down, 0.99)
    );
    println!(
        "  CPU of the test process (manager and clients): {:.0}% of one core",
        100.0 * cpu.as_secs_f64() / wall.as_secs_f64()
    );
}
