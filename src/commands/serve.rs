//! `sanshen serve [--port N]`: a live preview of the working tree on
//! 127.0.0.1 (see `crate::preview`). Runs until Ctrl-C, then removes its
//! temporary folder; nothing is ever written into the site's folder.

use std::path::Path;
use std::sync::{Arc, mpsc};

use crate::cli::ServeArgs;
use crate::error::{Diagnostic, Error, Result};
use crate::preview::server::PreviewServer;
use crate::preview::session::{Session, SharedSnapshot};
use crate::preview::{looks_like_a_site, watch};
use crate::site::Language;

pub fn run(root: &Path, args: &ServeArgs) -> Result<i32> {
    let root = root
        .canonicalize()
        .map_err(|err| Error::io(root, &err, "open the site folder"))?;
    if !looks_like_a_site(&root) {
        return Err(Error::config(
            Diagnostic::in_file(
                root.display().to_string(),
                "has neither site.toml nor content/: it is not a site folder",
            )
            .with_help(
                "run `sanshen serve` in the site repository's top folder, or pass --root DIR",
            ),
        ));
    }
    // Rendered pages live here, private to this user, and go when it ends.
    let folder = tempfile::Builder::new()
        .prefix("sanshen-preview-")
        .tempdir()
        .map_err(|err| Error::io(&std::env::temp_dir(), &err, "create a temporary folder"))?;
    // Canonical, because the server checks every file it finds lies inside it.
    let folder_path = folder
        .path()
        .canonicalize()
        .map_err(|err| Error::io(folder.path(), &err, "open the temporary folder"))?;
    let shared = Arc::new(SharedSnapshot::default());
    let server = PreviewServer::bind(args.port, Arc::clone(&shared))?;

    let (stop, stopped) = mpsc::channel::<Result<()>>();
    let on_interrupt = stop.clone();
    ctrlc::set_handler(move || {
        let _ = on_interrupt.send(Ok(()));
    })
    .map_err(|err| {
        Error::config(Diagnostic::new(format!(
            "cannot catch Ctrl-C to stop cleanly: {err}"
        )))
    })?;

    // Watching starts before the first render: what is saved while it runs,
    // or the moment the preview first answers, is rendered next.
    let watching = watch::Watching::start(&root)?;
    let mut session = Session::new(&root, &folder_path, Arc::clone(&shared));
    session.rebuild();
    let chinese = shared.current().language() == Language::Chinese;
    if !session.in_repository() {
        eprintln!(
            "{}",
            if chinese {
                "注意：此文件夹不是 git 仓库，预览不显示审核状态，也不读取 .gitignore"
            } else {
                "notice: this folder is not a git repository: previews show no review states and ignore no files"
            }
        );
    }
    std::thread::spawn(move || {
        let _ = stop.send(watching.rebuild_on_change(&mut session));
    });
    let url = server.url();
    std::thread::spawn(move || server.run());
    println!(
        "{}",
        if chinese {
            format!("工作区预览（未经审核，仅本机可访问）：{url}  （按 Ctrl+C 结束）")
        } else {
            format!(
                "preview of the working tree (unapproved, this computer only): {url}  (Ctrl+C stops)"
            )
        }
    );

    // Ctrl-C, or the watcher failing to start: either way, clean up and go.
    let outcome = stopped.recv().unwrap_or(Ok(()));
    drop(folder);
    outcome.map(|()| 0)
}
