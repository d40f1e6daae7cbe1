//! `sanshen demo [--serve]`: write the bundled portal's demo repository,
//! build it, and optionally serve the site (see `crate::demo`).

use crate::cli::DemoArgs;
use crate::demo;
use crate::error::Result;

pub fn run(args: &DemoArgs) -> Result<i32> {
    let (folder, code) = demo::run(args.out.as_deref(), args.serve)?;
    if args.serve && code == 0 {
        demo::serve_site(&folder, args.port)?;
    }
    Ok(code)
}
