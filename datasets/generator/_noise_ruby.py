"""Passing-step noise for Ruby jobs: setup-ruby, bundler, rubocop, rspec, minitest."""

from __future__ import annotations

from datasets.generator._job import Step
from datasets.generator._noise import Ctx, Ecosystem, scaled_count
from datasets.generator._vocab import pick, seconds, uuid, version

GEMS = tuple(
    [
        "rake",
        "rack",
        "rails",
        "puma",
        "nokogiri",
        "sidekiq",
        "redis",
        "pg",
        "activesupport",
        "actionpack",
        "json",
        "i18n",
        "concurrent-ruby",
        "tzinfo",
        "zeitwerk",
        "rspec",
        "rspec-core",
        "rspec-expectations",
        "rspec-mocks",
        "rubocop",
        "parser",
        "ast",
        "minitest",
        "faraday",
        "dry-types",
        "sequel",
        "sinatra",
        "thor",
    ]
)


def _ruby_setup(ctx: Ctx) -> list[Step]:
    rng = ctx.rng
    ver = f"3.{rng.randint(1, 4)}.{rng.randint(0, 6)}"
    gems = pick(rng, GEMS, scaled_count(ctx, 8, 26))
    lines = [
        "##[group]Downloading Ruby",
        f"https://github.com/ruby/ruby-builder/releases/download/"
        f"toolcache/ruby-{ver}-ubuntu-24.04.tar.gz",
        f"Took   {seconds(rng, 0.2, 3)} seconds",
        "##[endgroup]",
        "##[group]Extracting  Ruby",
        "[command]/usr/bin/tar -xz -C /opt/hostedtoolcache/Ruby "
        f"-f /home/runner/work/_temp/{uuid(rng)}",
        "##[endgroup]",
        f"Using bundler 2.{rng.randint(4, 6)}.{rng.randint(0, 20)} from Gemfile.lock BUNDLED WITH",
        "##[group]bundle install",
        f"[command]/opt/hostedtoolcache/Ruby/{ver}/x64/bin/bundle install --jobs 4",
        "Fetching gem metadata from https://rubygems.org/.........",
        "Resolving dependencies...",
    ]
    for gem in gems:
        gver = version(rng, (0, 8))
        lines += [f"Fetching {gem} {gver}", f"Installing {gem} {gver}"]
    lines += [
        f"Bundle complete! {len(gems)} Gemfile dependencies, {len(gems) + rng.randint(10, 80)} "
        "gems now installed.",
        "Bundled gems are installed into `./vendor/bundle`",
        "##[endgroup]",
    ]
    return [
        Step(
            "Set up Ruby",
            "",
            lines,
            kind="action",
            uses="ruby/setup-ruby@v1",
            with_=[("ruby-version", ver[:3]), ("bundler-cache", "true")],
            seconds=rng.uniform(3, 40),
        )
    ]


def _bundle_install(ctx: Ctx) -> Step:
    rng = ctx.rng
    gems = pick(rng, GEMS, scaled_count(ctx, 8, 26))
    lines = [
        "Fetching gem metadata from https://rubygems.org/.........",
        "Resolving dependencies...",
    ]
    if rng.random() < 0.08:
        lines.insert(
            1,
            "Retrying fetcher due to error (2/4): Bundler::HTTPError Could not fetch "
            "specs from https://rubygems.org/ due to underlying error <timeout>",
        )
    lines += [f"Using {g} {version(rng, (0, 8))}" for g in gems]
    lines.append(
        f"Bundle complete! {len(gems)} Gemfile dependencies, {len(gems) + 31} gems now installed."
    )
    return Step(
        "Install gems", "bundle install --jobs 4 --retry 3", lines, seconds=rng.uniform(2, 60)
    )


def _rubocop(ctx: Ctx) -> Step:
    rng = ctx.rng
    files = rng.randint(40, 600)
    marks = "".join(rng.choice("......C.W") if rng.random() < 0.05 else "." for _ in range(files))
    lines = [
        f"Inspecting {files} files",
        marks[:files],
        "",
        f"{files} files inspected, no offenses detected",
    ]
    return Step("Rubocop", "bundle exec rubocop", lines, seconds=rng.uniform(3, 40))


def _rspec(ctx: Ctx) -> Step:
    rng = ctx.rng
    n = scaled_count(ctx, 40, 900)
    dots = "".join("*" if rng.random() < 0.01 else "." for _ in range(n))
    lines = ["", f"Randomized with seed {rng.randint(1000, 65535)}"]
    lines += [dots[i : i + 100] for i in range(0, len(dots), 100)]
    pending = dots.count("*")
    lines += [
        "",
        f"Finished in {seconds(rng, 1, 90)} seconds (files took {seconds(rng, 0.5, 4)} "
        "seconds to load)",
        f"{n} examples, 0 failures" + (f", {pending} pending" if pending else ""),
    ]
    return Step("Run specs", "bundle exec rspec", lines, seconds=rng.uniform(3, 120), coloured=True)


def _minitest(ctx: Ctx) -> Step:
    rng = ctx.rng
    n = scaled_count(ctx, 30, 700)
    lines = [f"Run options: --seed {rng.randint(1000, 65535)}", "", "# Running:", ""]
    dots = "." * n
    lines += [dots[i : i + 100] for i in range(0, n, 100)]
    lines += [
        "",
        f"Finished in {seconds(rng, 0.5, 30)}s, {rng.randint(50, 900)}.{rng.randint(0, 9)} "
        f"runs/s, {rng.randint(100, 2000)}.{rng.randint(0, 9)} assertions/s.",
        "",
        f"{n} runs, {n * 3} assertions, 0 failures, 0 errors, 0 skips",
    ]
    return Step("Run tests", "bundle exec rake test", lines, seconds=rng.uniform(2, 60))


RUBY = Ecosystem(
    image=lambda rng: f"ruby:3.{rng.randint(1, 4)}{rng.choice(('', '-slim'))}",
    setup=_ruby_setup,
    stages={"install": [_bundle_install], "lint": [_rubocop], "test": [_rspec, _minitest]},
    env=lambda rng: [("RAILS_ENV", "test")] if rng.random() < 0.5 else [],
)
