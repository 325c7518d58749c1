//! Synthetic forums for benchmarks: many boards, threads and posts written
//! in large transactions, with the same counters the live path keeps.

use jiff::Timestamp;
use rusqlite::params;

use crate::storage::{Storage, StorageResult};

/// The shape of a synthetic forum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ForumVolume {
    pub boards: u32,
    pub threads_per_board: u32,
    pub posts_per_thread: u32,
    /// Distinct authors the posts are spread over.
    pub citizens: u32,
}

/// Threads written per write job, so no single transaction grows huge.
const THREADS_PER_JOB: u32 = 500;

impl Storage {
    /// Fills an empty forum with `volume`: posts one minute apart, newest
    /// activity on the last thread. Returns the board ids.
    pub async fn generate_forum(
        &self,
        volume: ForumVolume,
        now: Timestamp,
    ) -> StorageResult<Vec<i64>> {
        let now_ms = now.as_millisecond();
        let total_posts = i64::from(volume.boards)
            * i64::from(volume.threads_per_board)
            * i64::from(volume.posts_per_thread);
        // The first post is this far in the past, so every post is in the past.
        let start_ms = now_ms - total_posts * 60_000;
        let boards = self
            .write(move |connection| {
                let mut insert = connection.prepare_cached(
                    "INSERT INTO citizens (alias, alias_key, pin_hash, created_at)
                     VALUES (?1, ?2, 'bench', ?3)",
                )?;
                for citizen in 0..volume.citizens {
                    let alias = format!("vecino{citizen:06}");
                    insert.execute(params![alias, alias, start_ms])?;
                }
                let mut insert = connection.prepare_cached(
                    "INSERT INTO boards (kind, title, description, position, created_at)
                     VALUES ('topic', ?1, 'Synthetic board', ?2, ?3)",
                )?;
                (0..volume.boards)
                    .map(|board| {
                        insert.execute(params![format!("Board {board}"), board, start_ms])?;
                        Ok(connection.last_insert_rowid())
                    })
                    .collect::<StorageResult<Vec<i64>>>()
            })
            .await?;
        let first_citizen: i64 = self
            .read(|connection| {
                Ok(connection
                    .prepare_cached(
                        "SELECT min(id) AS first FROM citizens WHERE pin_hash = 'bench'",
                    )?
                    .query_row([], |row| row.get("first"))?)
            })
            .await?;
        let body = "Buenas tardes, vecinos. ¿Alguien sabe si el centro de acceso abre el sábado por la mañana? Necesito imprimir unos papeles para el padrón.";
        let threads_total = volume.boards * volume.threads_per_board;
        let mut next_thread = 0;
        while next_thread < threads_total {
            let first = next_thread;
            let last = threads_total.min(first + THREADS_PER_JOB);
            let boards = boards.clone();
            self.write(move |connection| {
                let mut thread_insert = connection.prepare_cached(
                    "INSERT INTO threads (board_id, title, citizen_id, status, created_at,
                                          last_activity_at, post_count)
                     VALUES (?1, ?2, ?3, 'published', ?4, ?5, ?6)",
                )?;
                let mut post_insert = connection.prepare_cached(
                    "INSERT INTO posts (thread_id, citizen_id, body, status, created_at)
                     VALUES (?1, ?2, ?3, 'published', ?4)",
                )?;
                let mut first_post = connection
                    .prepare_cached("UPDATE threads SET first_post_id = ?2 WHERE id = ?1")?;
                for thread in first..last {
                    // Threads are interleaved over boards, oldest first.
                    let board_id = boards[(thread % volume.boards) as usize];
                    let base =
                        start_ms + i64::from(thread) * i64::from(volume.posts_per_thread) * 60_000;
                    let author = |post: u32| {
                        first_citizen + i64::from((thread + post) % volume.citizens.max(1))
                    };
                    let last_ms = base + i64::from(volume.posts_per_thread.max(1) - 1) * 60_000;
                    thread_insert.execute(params![
                        board_id,
                        format!("Hilo número {thread}"),
                        author(0),
                        base,
                        last_ms,
                        volume.posts_per_thread
                    ])?;
                    let thread_id = connection.last_insert_rowid();
                    for post in 0..volume.posts_per_thread {
                        post_insert.execute(params![
                            thread_id,
                            author(post),
                            body,
                            base + i64::from(post) * 60_000
                        ])?;
                        if post == 0 {
                            first_post
                                .execute(params![thread_id, connection.last_insert_rowid()])?;
                        }
                    }
                }
                Ok(())
            })
            .await?;
            next_thread = last;
        }
        self.write(|connection| {
            connection.execute_batch(
                "UPDATE boards SET
                     thread_count = (SELECT count(*) FROM threads t
                                     WHERE t.board_id = boards.id AND t.status = 'published'),
                     last_activity_at = (SELECT max(t.last_activity_at) FROM threads t
                                         WHERE t.board_id = boards.id AND t.status = 'published');
                 ANALYZE;",
            )?;
            Ok(())
        })
        .await?;
        Ok(boards)
    }
}
