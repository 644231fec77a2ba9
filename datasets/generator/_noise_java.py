"""Passing-step noise for Java and Kotlin jobs: setup-java, Maven, Gradle, Surefire."""

from __future__ import annotations

from datasets.generator._job import Step
from datasets.generator._noise import Ctx, Ecosystem, cache_action, scaled_count
from datasets.generator._vocab import WORDS, camel, pick, seconds, size_kb, version

MAVEN = (
    "org/springframework/boot/spring-boot-starter-web",
    "com/fasterxml/jackson/core/jackson-databind",
    "org/apache/commons/commons-lang3",
    "com/google/guava/guava",
    "io/netty/netty-handler",
    "org/junit/jupiter/junit-jupiter",
    "org/postgresql/postgresql",
    "io/micrometer/micrometer-core",
    "org/slf4j/slf4j-api",
    "ch/qos/logback/logback-classic",
    "org/mockito/mockito-core",
    "org/assertj/assertj-core",
    "org/apache/maven/plugins/maven-surefire-plugin",
    "org/jetbrains/kotlin/kotlin-stdlib",
    "org/apache/httpcomponents/client5/httpclient5",
)


def _java_setup(ctx: Ctx) -> list[Step]:
    rng = ctx.rng
    major = rng.choice((11, 17, 17, 21, 21))
    ver = f"{major}.0.{rng.randint(1, 12)}+{rng.randint(1, 13)}"
    path = f"/opt/hostedtoolcache/Java_Temurin-Hotspot_jdk/{ver.replace('+', '-')}/x64"
    lines = [
        "##[group]Installed distributions",
        "Trying to resolve the latest version from remote",
        f"Resolved latest version as {ver}",
        f"Trying to download {ver}...",
        f"Downloading Java {ver} (Temurin-Hotspot) from https://github.com/adoptium/"
        f"temurin{major}-binaries/releases/download/...",
        "Extracting Java archive...",
        f"Java {ver} was downloaded",
        f"Setting Java {ver} as the default",
        f"Creating toolchains.xml for JDK version {major} from temurin",
        "Writing to /home/runner/.m2/toolchains.xml",
        "",
        "Java configuration:",
        "  Distribution: temurin",
        f"  Version: {ver}",
        f"  Path: {path}",
        "",
        "##[endgroup]",
    ]
    steps = [
        Step(
            "Set up JDK",
            "",
            lines,
            kind="action",
            uses="actions/setup-java@v4",
            with_=[
                ("java-version", str(major)),
                ("distribution", "temurin"),
                ("cache", "maven"),
                ("java-package", "jdk"),
                ("check-latest", "false"),
                ("server-id", "github"),
                ("server-username", "GITHUB_ACTOR"),
                ("server-password", "GITHUB_TOKEN"),
                ("overwrite-settings", "true"),
            ],
            env_after=[("JAVA_HOME", path), (f"JAVA_HOME_{major}_X64", path)],
            seconds=rng.uniform(2, 20),
        )
    ]
    if rng.random() < 0.4:
        steps.append(cache_action(ctx, "setup-java-Linux-x64-maven", "~/.m2/repository"))
    return steps


def _maven_header(ctx: Ctx) -> list[str]:
    rng = ctx.rng
    art = ctx.project
    return [
        "[INFO] Scanning for projects...",
        "[INFO] ",
        f"[INFO] {'-' * 18}< com.{ctx.owner.replace('-', '')}:{art} >{'-' * 18}",
        f"[INFO] Building {art} {version(rng)}-SNAPSHOT",
        "[INFO]   from pom.xml",
        "[INFO] --------------------------------[ jar ]---------------------------------",
    ]


def _maven_downloads(ctx: Ctx, n: int) -> list[str]:
    rng = ctx.rng
    lines = []
    for art in pick(ctx.rng, MAVEN, n):
        ver = version(rng, (1, 6))
        name = art.rsplit("/", 1)[1]
        for ext in ("pom", "jar"):
            url = f"https://repo.maven.apache.org/maven2/{art}/{ver}/{name}-{ver}.{ext}"
            lines.append(f"Downloading from central: {url}")
            if rng.random() < 0.03:
                # Maven's HTTP client retries a reset connection on its own.
                lines += [
                    "[INFO] I/O exception (java.net.SocketException) caught when processing "
                    "request to {s}->https://repo.maven.apache.org:443: Connection reset",
                    "[INFO] Retrying request to {s}->https://repo.maven.apache.org:443",
                ]
            lines.append(
                f"Downloaded from central: {url} ({size_kb(rng)} at {rng.randint(200, 9000)} kB/s)"
            )
    return lines


def _surefire(ctx: Ctx) -> list[str]:
    rng = ctx.rng
    base = f"com.{ctx.owner.replace('-', '')}.{rng.choice(WORDS)}"
    lines = [
        "[INFO] ",
        "[INFO] -------------------------------------------------------",
        "[INFO]  T E S T S",
        "[INFO] -------------------------------------------------------",
    ]
    total = 0
    for _ in range(scaled_count(ctx, 3, 30)):
        cls = f"{base}.{rng.choice(('ErrorHandler', 'Retry', camel(rng), camel(rng)))}Test"
        k = rng.randint(1, 30)
        total += k
        lines.append(f"[INFO] Running {cls}")
        if rng.random() < 0.08:
            lines += [
                f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
                f".{rng.randint(100, 999)} [main] ERROR {cls[:-4]} - Payment declined for "
                f"order {rng.randint(1000, 9999)} (expected in this test)",
                "java.lang.IllegalStateException: declined",
                f"\tat {cls[:-4]}.charge({cls.rsplit('.', 1)[1][:-4]}.java:{rng.randint(20, 300)})",
            ]
        lines.append(
            f"[INFO] Tests run: {k}, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: "
            f"{seconds(rng, 0.01, 9)} s -- in {cls}"
        )
    lines += [
        "[INFO] ",
        "[INFO] Results:",
        "[INFO] ",
        f"[INFO] Tests run: {total}, Failures: 0, Errors: 0, Skipped: {rng.randint(0, 3)}",
        "[INFO] ",
    ]
    return lines


def _maven_step(ctx: Ctx, goal: str) -> Step:
    rng = ctx.rng
    lines = _maven_header(ctx) + _maven_downloads(ctx, scaled_count(ctx, 2, 12))
    lines += [
        f"[INFO] --- resources:3.3.1:resources (default-resources) @ {ctx.project} ---",
        "[INFO] Copying 4 resources from src/main/resources to target/classes",
        f"[INFO] --- compiler:3.13.0:compile (default-compile) @ {ctx.project} ---",
        "[INFO] Recompiling the module because of changed source code.",
        f"[INFO] Compiling {rng.randint(20, 600)} source files with javac [debug target 17] "
        "to target/classes",
    ]
    for _ in range(rng.randint(0, 3)):
        lines.append(
            f"[WARNING] {ctx.workdir}/src/main/java/com/{ctx.owner}/{camel(rng)}.java:"
            f"[{rng.randint(5, 400)},{rng.randint(1, 40)}] [deprecation] "
            f"{rng.choice(WORDS)}() in {camel(rng)} has been deprecated"
        )
    if goal != "compile":
        lines += _surefire(ctx)
    lines += [
        "[INFO] ------------------------------------------------------------------------",
        "[INFO] BUILD SUCCESS",
        "[INFO] ------------------------------------------------------------------------",
        f"[INFO] Total time:  {seconds(rng, 5, 200)} s",
        f"[INFO] Finished at: 2026-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}T0"
        f"{rng.randint(0, 9)}:{rng.randint(10, 59)}:{rng.randint(10, 59)}Z",
        "[INFO] ------------------------------------------------------------------------",
    ]
    cmd = {"compile": "mvn -B -ntp compile", "verify": "mvn -B verify"}[goal]
    name = {"compile": "Build with Maven", "verify": "Test with Maven"}[goal]
    return Step(name, cmd, lines, seconds=rng.uniform(10, 300))


def _gradle_step(ctx: Ctx, task: str) -> Step:
    rng = ctx.rng
    kotlin = rng.random() < 0.4
    lines = []
    if rng.random() < 0.4:
        lines += [
            f"Downloading https://services.gradle.org/distributions/gradle-8.{rng.randint(5, 12)}-bin.zip",
            ".............10%.............20%.............30%.............40%.............50%"
            ".............60%.............70%.............80%.............90%.............100%",
            "",
            f"Welcome to Gradle 8.{rng.randint(5, 12)}!",
            "",
        ]
    lines.append("Starting a Gradle Daemon (subsequent builds will be faster)")
    tasks = [
        ":compileKotlin" if kotlin else ":compileJava",
        ":processResources",
        ":classes",
        ":jar",
        ":assemble",
    ]
    if task == "test":
        tasks += [":compileTestKotlin" if kotlin else ":compileTestJava", ":testClasses", ":test"]
    for t in tasks:
        lines.append(f"> Task {t}")
        if t.startswith(":compileKotlin") and rng.random() < 0.6:
            lines.append(
                f"w: file://{ctx.workdir}/src/main/kotlin/{camel(rng)}.kt:"
                f"{rng.randint(3, 300)}:{rng.randint(1, 30)} Variable "
                f"'{rng.choice(WORDS)}' is never used"
            )
        if t == ":test":
            for _ in range(scaled_count(ctx, 5, 60)):
                lines.append(
                    f"{camel(rng)}Test > {rng.choice(WORDS)}"
                    f"{rng.choice(('HandlesError', 'Works', 'RejectsInvalid', 'Times Out Gracefully'))}() PASSED"
                )
    lines += [
        "",
        f"BUILD SUCCESSFUL in {rng.randint(8, 200)}s",
        f"{len(tasks) + rng.randint(0, 6)} actionable tasks: {len(tasks)} executed",
    ]
    cmd = f"./gradlew {'build -x test' if task == 'build' else 'test'} --no-daemon"
    return Step(
        "Build with Gradle" if task == "build" else "Run tests",
        cmd,
        lines,
        seconds=rng.uniform(20, 300),
    )


JAVA = Ecosystem(
    image=lambda rng: rng.choice(
        ("maven:3.9-eclipse-temurin-21", "eclipse-temurin:17-jdk", "gradle:8.10-jdk21")
    ),
    setup=_java_setup,
    stages={
        "build": [lambda c: _maven_step(c, "compile"), lambda c: _gradle_step(c, "build")],
        "test": [lambda c: _maven_step(c, "verify"), lambda c: _gradle_step(c, "test")],
    },
    env=lambda rng: [("MAVEN_OPTS", "-Xmx3g")] if rng.random() < 0.4 else [],
)
