//! The examples each command's help ends with. Every line that starts with `  open1688 ` is
//! parsed by the test below, so an example that names a flag or argument the command no longer
//! takes fails the build's tests instead of misleading a reader.

/// `open1688 --help`: a buyer's day in four commands.
pub const TOP: &str = "\
Examples:
  open1688 source 保温杯 --need 300              # what to buy, from whom, and why
  open1688 order preview open1688-out/plan.csv   # the decision as 1688 orders
  open1688 watch add 630526089341 --below 7.5    # tell me when it gets cheaper
  open1688 serve                                 # the same as an HTTP API and a dashboard

Without an app key every command runs against the built-in sandbox (simulated data).";

/// `source`.
pub const SOURCE: &str = "\
Examples:
  open1688 source 保温杯 --need 300
  open1688 source 保温杯 --need 300 --strategy safest --out ./保温杯
  open1688 source 数据线 --need 5000 --spec 颜色=黑色 --max-suppliers 2
  open1688 source 保温杯 --need 300 --format json";

/// `search`.
pub const SEARCH: &str = "\
Examples:
  open1688 search 保温杯 --limit 5
  open1688 search 保温杯 --sort price --price-max 10 --pages 2
  open1688 search 保温杯 --format csv > 保温杯.csv";

/// `offer`.
pub const OFFER: &str = "\
Examples:
  open1688 offer 630526089341
  open1688 offer 630526089341 750056578934 --format json
  open1688 offer 630526089341 --chart ladder.png";

/// `image-search`.
pub const IMAGE_SEARCH: &str = "\
Examples:
  open1688 image-search cup.jpg --limit 10
  open1688 image-search https://example.com/cup.png";

/// `same-item`.
pub const SAME_ITEM: &str = "\
Examples:
  open1688 same-item 630526089341
  open1688 same-item 630526089341 --limit 40 --format json";

/// `seller`.
pub const SELLER: &str = "\
Examples:
  open1688 seller zpqp5essyoeu4t65b1wle
  open1688 seller zpqp5essyoeu4t65b1wle --scorecard legacy_factory --chart radar.png

The seller's open id is in `open1688 offer <id>` (seller_open_id).";

/// `compare`.
pub const COMPARE: &str = "\
Examples:
  open1688 compare 保温杯 --need 200 --candidates 6
  open1688 compare 630526089341 --need 200       # the same item from other sellers
  open1688 compare 保温杯 --need 200 --strategy cheapest --chart suppliers.png";

/// `quote`.
pub const QUOTE: &str = "\
Examples:
  open1688 quote 630526089341 --need 95
  open1688 quote 630526089341 --need 95 --daily-sales 5 --batches 3
  open1688 quote 630526089341 --need 200 --spec 颜色=黑色";

/// `analyze`.
pub const ANALYZE: &str = "\
Examples:
  open1688 analyze 数据线 --quantity 100
  open1688 analyze 数据线 --quantity 100 --limit 50 --chart prices.png";

/// `recommend`.
pub const RECOMMEND: &str = "\
Examples:
  open1688 recommend 保温杯 --quantity 100
  open1688 recommend 保温杯 --quantity 100 --ships-within 48 --max-moq 50 --identity super_factory";

/// `plan`.
pub const PLAN: &str = "\
Examples:
  open1688 plan lines.csv
  open1688 plan lines.toml --optimize --xlsx plan.xlsx
  open1688 plan offers.csv --split --need 400000 --save split.csv   # split a need over these offers

A CSV plan has the header offer_id,sku_id,quantity; sku_id may be empty, or attributes such as
颜色=红色;容量=750ml.";

/// `order`.
pub const ORDER: &str = "\
Examples:
  open1688 order preview open1688-out/plan.csv
  open1688 order place open1688-out/plan.csv --yes --spending-cap 5000
  open1688 order list --open
  open1688 order track
  open1688 order pay-url 2237938826932000003";

/// `watch`.
pub const WATCH: &str = "\
Examples:
  open1688 watch add 630526089341 --below 7.5 --at 100
  open1688 watch add --keyword 保温杯 --new-offers --every 1440
  open1688 watch list
  open1688 watch remove 1";

/// `watch add`.
pub const WATCH_ADD: &str = "\
Examples:
  open1688 watch add 630526089341 --below 7.5 --at 100
  open1688 watch add 630526089341 --change 5 --stock-below 500 --every 30
  open1688 watch add 630526089341 --rules rules.toml";

/// `monitor`.
pub const MONITOR: &str = "\
Examples:
  open1688 monitor --once
  open1688 monitor --webhook https://example.com/hooks/1688";

/// `history`.
pub const HISTORY: &str = "\
Examples:
  open1688 history 630526089341
  open1688 history 630526089341 --days 90 --chart history.png";

/// `catalog`.
pub const CATALOG: &str = "\
Examples:
  open1688 catalog crawl --keyword 保温杯 --pages 2
  open1688 catalog search 保温杯 --at 100 --price-max 10 --province 浙江省
  open1688 catalog refresh --max 200
  open1688 catalog age";

/// `serve`.
pub const SERVE: &str = "\
Examples:
  open1688 serve keys add --name erp --scope write   # prints the key once
  open1688 serve                                      # http://127.0.0.1:8688, dashboard at /
  open1688 serve --listen 0.0.0.0:8080 --no-monitor";

/// `mcp`.
pub const MCP: &str = "\
Examples:
  open1688 mcp
  open1688 mcp --outputs-dir ./agent-files

Most agents start it themselves: give them the command `open1688 mcp`.";

/// `sandbox`.
pub const SANDBOX: &str = "\
Examples:
  open1688 sandbox --port 8690
  open1688 sandbox --port 8690 --simulated-clock --auto-approve

It prints one JSON line (its address, app key and secret, tokens); point the other commands at it
with OPEN1688_ENDPOINT, OPEN1688_APP_KEY and OPEN1688_APP_SECRET.";

/// `auth`.
pub const AUTH: &str = "\
Examples:
  open1688 auth login
  open1688 auth login --no-browser --port 8765
  open1688 auth status

Register http://127.0.0.1:8765/callback as the app's callback address on open.1688.com first.";

/// `config`.
pub const CONFIG: &str = "\
Examples:
  open1688 config init
  open1688 config show";

/// `cache`.
pub const CACHE: &str = "\
Examples:
  open1688 cache stats
  open1688 cache clear --expired";

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, Parser};

    use crate::args::Cli;

    /// Every command, with the words that name it (`["order", "place"]`).
    fn commands(command: &clap::Command, path: Vec<String>, out: &mut Vec<(Vec<String>, clap::Command)>) {
        out.push((path.clone(), command.clone()));
        for sub in command.get_subcommands() {
            let mut named = path.clone();
            named.push(sub.get_name().to_owned());
            commands(sub, named, out);
        }
    }

    #[test]
    fn every_example_in_the_help_parses() {
        let mut all = Vec::new();
        commands(&Cli::command(), Vec::new(), &mut all);
        let mut examples = 0;
        for (path, command) in &all {
            let Some(after) = command.get_after_help() else { continue };
            for line in after.to_string().lines() {
                let Some(example) = line.strip_prefix("  open1688 ") else { continue };
                let example = example.split(" # ").next().unwrap_or(example).split(" >").next().unwrap_or(example);
                let mut words = vec!["open1688".to_owned()];
                words.extend(example.split_whitespace().map(str::to_owned));
                if let Err(e) = Cli::try_parse_from(&words) {
                    panic!(
                        "the help of `open1688 {}` shows `{}`, which does not parse:\n{e}",
                        path.join(" "),
                        words.join(" ")
                    );
                }
                examples += 1;
            }
        }
        assert!(examples >= 40, "only {examples} examples were found");
    }

    #[test]
    fn every_command_a_buyer_runs_has_examples() {
        let cli = Cli::command();
        for command in cli.get_subcommands() {
            assert!(
                command.get_after_help().is_some(),
                "`open1688 {}` has no examples in its help",
                command.get_name()
            );
        }
    }

    #[test]
    fn the_commands_are_listed_in_the_order_of_a_buyers_day() {
        let names: Vec<String> = Cli::command().get_subcommands().map(|c| c.get_name().to_owned()).collect();
        assert_eq!(names.first().map(String::as_str), Some("source"), "{names:?}");
        let at = |name: &str| names.iter().position(|n| n == name).unwrap_or_else(|| panic!("{name} missing"));
        assert!(at("search") < at("compare") && at("compare") < at("order") && at("order") < at("watch"));
        assert!(at("serve") < at("config"), "set-up commands come last: {names:?}");
    }

    #[test]
    fn global_options_are_under_their_own_heading() {
        let mut cli = Cli::command();
        // Global options reach the subcommands when the command is built, as on a real run.
        cli.build();
        let help = cli.find_subcommand_mut("sandbox").expect("sandbox").render_help().to_string();
        let own = help.find("--port").expect("the sandbox's own --port");
        let heading = help.find("Global options:").expect("a Global options heading");
        let xlsx = help.find("--xlsx").expect("--xlsx");
        assert!(own < heading && heading < xlsx, "{help}");
    }
}
