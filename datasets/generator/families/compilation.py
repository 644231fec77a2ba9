"""Families of ``compilation``: source code fails to compile, transpile, generate or link.

``tsc`` belongs here when it runs as the build (emitting output); ``tsc --noEmit`` in a type-check
step is a static checker and lives in ``lint_format``. Compiler errors inside ``docker build`` keep
this label. File names such as ``network.rs`` or ``timeout.go`` appear on purpose."""

from __future__ import annotations

import random

from datasets.generator._types import Failure, Family
from datasets.generator.families import _common_a as c

LABEL = "compilation"

# (code, headline, source line, marked text, note under the marker)
_RUST_ERRORS = (
    (
        "E0308",
        "mismatched types",
        "    let {v}: u16 = {w}.{f};",
        "{w}.{f}",
        "expected `u16`, found `String`",
    ),
    (
        "E0425",
        "cannot find value `{v}` in this scope",
        "        {v} += 1;",
        "{v}",
        "not found in this scope",
    ),
    (
        "E0599",
        "no method named `{m}` found for struct `{T}` in the current scope",
        "    {w}.{m}()?;",
        "{m}",
        "method not found in `{T}`",
    ),
    (
        "E0382",
        "borrow of moved value: `{v}`",
        '    tracing::debug!("{{}}", {v}.len());',
        "{v}",
        "value borrowed here after move",
    ),
    (
        "E0277",
        "the trait bound `{T}: Serialize` is not satisfied",
        "    let body = serde_json::to_string(&{v})?;",
        "&{v}",
        "the trait `Serialize` is not implemented for `{T}`",
    ),
    (
        "E0433",
        "failed to resolve: use of undeclared type `{T}`",
        "    let {v} = {T}::new({n});",
        "{T}",
        "use of undeclared type `{T}`",
    ),
    (
        "E0061",
        "this function takes 2 arguments but 1 argument was supplied",
        "    let {v} = {m}({w});",
        "{m}",
        "",
    ),
)


def rustc_error(rng: random.Random, eco: str) -> Failure:
    crate, wd = c.pick(rng, c.PROJECTS), c.workdir(rng)
    lines = [
        f"   Compiling {k} v{c.version(rng, 1)}" for k in rng.sample(c.CRATES, rng.randint(0, 9))
    ]
    lines.append(f"   Compiling {crate} v0.{rng.randint(1, 9)}.{rng.randint(0, 9)} ({wd})")
    codes: list[str] = []
    for _ in range(rng.randint(1, 4)):
        code, head, src, mark, note = c.pick(rng, _RUST_ERRORS)
        nm = c.names(rng)
        path = c.src_file(rng, "src/", "rs")
        lines.append(f"error[{code}]: {head.format(**nm)}")
        lines += c.rust_excerpt(
            path, rng.randint(3, 400), src.format(**nm), mark.format(**nm), note.format(**nm)
        )
        lines.append("")
        codes.append(code)
    uniq = sorted(set(codes))
    if len(uniq) > 1:
        lines.append(f"Some errors have detailed explanations: {', '.join(uniq)}.")
    lines.append(f"For more information about an error, try `rustc --explain {uniq[0]}`.")
    n = len(codes)
    what = c.pick(rng, ("lib", 'bin "server"', "lib test"))
    errs = "1 previous error" if n == 1 else f"{n} previous errors"
    lines.append(
        c.pick(
            rng,
            (
                f"error: could not compile `{crate}` ({what}) due to {errs}",
                f"error: could not compile `{crate}` due to {errs}",
            ),
        )
    )
    cmd = c.pick(rng, ("cargo build --release", "cargo build --all-targets", "cargo check"))
    return c.finish(rng, eco, LABEL, lines, "Build", cmd, stack="rust", code=101)


_TS_ERRORS = (
    (
        "TS2322",
        "Type 'string' is not assignable to type 'number'.",
        "  const {cm}: number = {w}.{f};",
        "{cm}",
    ),
    (
        "TS2339",
        "Property '{cm}' does not exist on type '{T}'.",
        "    return this.{w}.{cm};",
        "{cm}",
    ),
    ("TS2304", "Cannot find name '{T}'.", "  private readonly {cm}: {T};", "{T}"),
    (
        "TS2345",
        "Argument of type 'string | undefined' is not assignable to parameter of type 'string'.",
        "  await {cm}(process.env.{f});",
        "process.env.{f}",
    ),
    (
        "TS2307",
        "Cannot find module './{mod}' or its corresponding type declarations.",
        "import {{ {T} }} from './{mod}';",
        "'./{mod}'",
    ),
    (
        "TS7006",
        "Parameter '{v}' implicitly has an 'any' type.",
        "export function {cm}({v}) {{",
        "{v}",
    ),
    ("TS2554", "Expected 2 arguments, but got 1.", "    const res = await {cm}({w});", "{cm}"),
)


def tsc_build(rng: random.Random, eco: str) -> Failure:
    """``tsc`` as the build (plain and ``--pretty`` output), often under ``npm run build``."""
    app, pretty, lines = c.pick(rng, c.PROJECTS), rng.random() < 0.4, []
    script = c.pick(rng, ("tsc -p tsconfig.build.json", "tsc -b", "tsc && vite build", "tsc"))
    if rng.random() < 0.6:
        lines += ["", f"> {app}@{c.version(rng, 2)} build", f"> {script}", ""]
    files: set[str] = set()
    count = rng.randint(1, 6)
    for _ in range(count):
        code, msg, src, mark = c.pick(rng, _TS_ERRORS)
        nm = c.names(rng)
        path = c.src_file(rng, "src/", c.pick(rng, ("ts", "tsx")), "camel")
        files.add(path)
        line, text = rng.randint(2, 300), src.format(**nm)
        col = c.find_col(text, mark.format(**nm))
        if pretty:
            lines += [
                f"{path}:{line}:{col} - error {code}: {msg.format(**nm)}",
                "",
                f"{line} {text}",
                f"{' ' * len(str(line))} {' ' * (col - 1)}{'~' * len(mark.format(**nm))}",
                "",
            ]
        else:
            lines.append(f"{path}({line},{col}): error {code}: {msg.format(**nm)}")
    if pretty:
        where = f"{len(files)} files" if len(files) > 1 else next(iter(files))
        lines.append(f"Found {count} error{'s' if count > 1 else ''} in {where}.")
    if lines[0] == "":
        p = c.pick(rng, ("npm ERR!", "npm error"))
        lines += [
            f"{p} code 2"
            if rng.random() < 0.5
            else f"{p} Lifecycle script `build` failed with error:",
            f"{p} path {c.workdir(rng)}",
            f"{p} command failed",
            f"{p} command sh -c {script}",
        ]
        cmd = "npm run build"
    else:
        cmd = f"npx {script}"
    return c.finish(rng, eco, LABEL, lines, "Build", cmd, stack="node", code=2 if pretty else 1)


_JAVA_ERRORS: tuple[tuple[str, list[str]], ...] = (
    ("cannot find symbol", ["  symbol:   class {T}", "  location: class {U}Service"]),
    (
        "cannot find symbol",
        ["  symbol:   method {cm}(java.lang.String)", "  location: variable {v} of type {T}"],
    ),
    ("incompatible types: java.lang.String cannot be converted to int", []),
    ("';' expected", []),
    (
        "method {cm} in class {T} cannot be applied to given types;",
        [
            "  required: java.lang.String,int",
            "  found:    java.lang.String",
            "  reason: actual and formal argument lists differ in length",
        ],
    ),
    ("package com.acme.{mod} does not exist", []),
    ("unreported exception java.io.IOException; must be caught or declared to be thrown", []),
)


def javac_maven(rng: random.Random, eco: str) -> Failure:
    wd, proj = c.workdir(rng), c.pick(rng, c.PROJECTS)
    lines = [
        f"[INFO] --- maven-resources-plugin:3.3.1:resources (default-resources) @ {proj} ---",
        f"[INFO] Copying {rng.randint(1, 30)} resources from src/main/resources to target/classes",
        f"[INFO] --- maven-compiler-plugin:3.{rng.randint(8, 13)}.0:compile "
        f"(default-compile) @ {proj} ---",
        f"[INFO] Compiling {rng.randint(10, 400)} source files with javac [debug release 17] to "
        "target/classes",
        "[INFO] -------------------------------------------------------------",
        "[ERROR] COMPILATION ERROR : ",
        "[INFO] -------------------------------------------------------------",
    ]
    errs = []
    for _ in range(rng.randint(1, 5)):
        msg, detail = c.pick(rng, _JAVA_ERRORS)
        nm = c.names(rng)
        path = f"{wd}/src/main/java/com/acme/{nm['mod']}/{c.pascal(rng)}.java"
        head = f"{path}:[{rng.randint(5, 300)},{rng.randint(1, 60)}] {msg.format(**nm)}"
        errs.append(head)
        lines.append(f"[ERROR] {head}")
        lines += [
            f"[ERROR] {d.format(**nm)}" if rng.random() < 0.5 else d.format(**nm) for d in detail
        ]
    lines += [
        f"[INFO] {len(errs)} error{'s' if len(errs) > 1 else ''}",
        "[INFO] -------------------------------------------------------------",
        "[INFO] " + "-" * 72,
        "[INFO] BUILD FAILURE",
        "[INFO] " + "-" * 72,
        f"[INFO] Total time:  {c.seconds(rng, 2, 90)} s",
        "[INFO] " + "-" * 72,
        "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-compiler-plugin:3.11.0:"
        f"compile (default-compile) on project {proj}: Compilation failure",
        *[f"[ERROR] {e}" for e in errs[:2]],
        "[ERROR] -> [Help 1]",
        "[ERROR] [Help 1] http://cwiki.apache.org/confluence/display/MAVEN/MojoFailureException",
    ]
    cmd = c.pick(rng, ("mvn -B package", "mvn -B -ntp verify", "./mvnw -B compile"))
    return c.finish(rng, eco, LABEL, lines, "Build with Maven", cmd, stack="java")


_KOTLIN_ERRORS = (
    "Unresolved reference: {cm}",
    "Unresolved reference '{cm}'.",
    "Type mismatch: inferred type is String? but String was expected",
    "Type mismatch: inferred type is Int but Long was expected",
    "None of the following functions can be called with the arguments supplied: ",
    "Expecting ')'",
    "'when' expression must be exhaustive, add necessary 'else' branch",
    "Smart cast to '{T}' is impossible, because '{v}' is a mutable property that could have "
    "been changed by this time",
)


def gradle_kotlin_compile(rng: random.Random, eco: str) -> Failure:
    """kotlinc (``e: file:///...``) or javac under Gradle."""
    wd, mod = c.workdir(rng), c.pick(rng, ("app", "core", "domain", "server"))
    kotlin = rng.random() < 0.6
    task = "compileKotlin" if kotlin else "compileJava"
    lines = [
        f"> Task :{mod}:{t}"
        for t in ("checkKotlinGradlePluginConfigurationErrors", "processResources")
    ]
    lines.append(f"> Task :{mod}:{task}")
    for _ in range(rng.randint(1, 5)):
        nm = c.names(rng)
        if kotlin:
            path = f"{wd}/{mod}/src/main/kotlin/com/acme/{nm['mod']}/{c.pascal(rng)}.kt"
            msg = c.pick(rng, _KOTLIN_ERRORS).format(**nm)
            loc = f"{rng.randint(3, 300)}:{rng.randint(1, 60)}"
            lines.append(
                c.pick(
                    rng,
                    (
                        f"e: file://{path}:{loc} {msg}",
                        f"e: {path}: ({loc.replace(':', ', ')}): {msg}",
                    ),
                )
            )
        else:
            path = f"{wd}/{mod}/src/main/java/com/acme/{nm['mod']}/{c.pascal(rng)}.java"
            msg, detail = c.pick(rng, _JAVA_ERRORS)
            lines.append(f"{path}:{rng.randint(3, 300)}: error: {msg.format(**nm)}")
            lines += [d.format(**nm) for d in detail]
    if not kotlin:
        lines.append(f"{rng.randint(1, 5)} errors")
    lines += [
        f"> Task :{mod}:{task} FAILED",
        "",
        "FAILURE: Build failed with an exception.",
        "",
        "* What went wrong:",
        f"Execution failed for task ':{mod}:{task}'.",
        "> A failure occurred while executing org.jetbrains.kotlin.compilerRunner."
        "GradleCompilerRunnerWithWorkers$GradleKotlinCompilerWorkAction"
        if kotlin
        else "> Compilation failed; see the compiler error output for details.",
        "   > Compilation error. See log for more details" if kotlin else "",
        "* Try:",
        "> Run with --stacktrace option to get the stack trace.",
        "> Run with --info or --debug option to get more log output.",
        "",
        f"BUILD FAILED in {rng.randint(8, 300)}s",
    ]
    cmd = c.pick(rng, ("./gradlew build", "./gradlew assembleDebug", "./gradlew check --no-daemon"))
    return c.finish(rng, eco, LABEL, lines, "Build with Gradle", cmd, stack="java")


_GO_ERRORS = (
    "undefined: {cm}",
    "declared and not used: {v}",
    '"{mod}" imported and not used',
    "cannot use {v} (variable of type string) as int value in argument to {cm}",
    "{v}.{T} undefined (type *{U} has no field or method {T})",
    "too many arguments in call to {cm}\n\thave (context.Context, string)\n\twant (string)",
    "missing return",
    "syntax error: unexpected newline, expected comma or }}",
    "cannot use &{U}{{}} (value of type *{U}) as {T} value in variable declaration: *{U} does "
    "not implement {T} (missing method {T})",
)


def go_build(rng: random.Random, eco: str) -> Failure:
    pkg = f"github.com/acme/{c.pick(rng, c.PROJECTS)}/{c.pick(rng, ('internal', 'pkg'))}/{c.pick(rng, c.WORDS)}"
    lines = [
        f"go: downloading {m} v{c.version(rng, 1)}"
        for m in rng.sample(c.GO_MODULES, rng.randint(0, 4))
    ]
    lines.append(f"# {pkg}")
    count = rng.randint(1, 10)
    for _ in range(min(count, 10)):
        nm = c.names(rng)
        path = c.src_file(rng, "", "go")
        lines += f"{path}:{rng.randint(3, 500)}:{rng.randint(2, 40)}: {c.pick(rng, _GO_ERRORS).format(**nm)}".split(
            "\n"
        )
    if count == 10:
        lines.append(
            f"{c.src_file(rng, 'internal/', 'go')}:{rng.randint(3, 500)}:2: too many errors"
        )
    cmd = c.pick(rng, ("go build ./...", "go build -o bin/ ./cmd/...", "make build"))
    return c.finish(rng, eco, LABEL, lines, "Build", cmd, stack="go", code=1 if "go " in cmd else 2)


# (gcc message, clang message, source line, marked text)
_CPP_ERRORS = (
    (
        "'{cm}' was not declared in this scope",
        "use of undeclared identifier '{cm}'",
        "    auto {v} = {cm}({w});",
        "{cm}",
    ),
    ("expected ';' before '}}' token", "expected ';' after expression", "    {v}.reset()", ")"),
    (
        "no matching function for call to '{T}::{cm}(int&)'",
        "no matching member function for call to '{cm}'",
        "    {w}.{cm}({v});",
        "{cm}",
    ),
    (
        "'class {T}' has no member named '{cm}'",
        "no member named '{cm}' in '{T}'",
        "    return {w}->{cm};",
        "{cm}",
    ),
    (
        "cannot convert 'std::string' {{aka 'std::__cxx11::basic_string<char>'}} to 'int' in "
        "initialization",
        "no viable conversion from 'std::string' to 'int'",
        "    int {v} = {w}.name();",
        "{w}.name()",
    ),
    ("'{T}' does not name a type", "unknown type name '{T}'", "  {T} {v}_;", "{T}"),
    (
        "{mod}.hpp: No such file or directory",
        "'{mod}.hpp' file not found",
        '#include "{mod}.hpp"',
        '"{mod}.hpp"',
    ),
)


def gcc_clang_compile(rng: random.Random, eco: str) -> Failure:
    """GCC or Clang diagnostics under make or ninja, after CMake's progress lines."""
    wd, clang, ninja = c.workdir(rng), rng.random() < 0.4, rng.random() < 0.4
    target = c.pick(rng, ("core", "server", "engine", "net"))
    total, pct = rng.randint(20, 200), rng.randint(5, 90)
    if ninja:
        lines = [
            f"[{i}/{total}] Building CXX object src/CMakeFiles/{target}.dir/{c.ident(rng, 1)}.cpp.o"
            for i in range(1, rng.randint(2, 12))
        ]
    else:
        lines = [
            f"[{min(pct + i, 99):3d}%] Building CXX object src/CMakeFiles/{target}.dir/"
            f"{c.ident(rng, 1)}.cpp.o"
            for i in range(rng.randint(1, 10))
        ]
    rel = c.src_file(rng, "src/", c.pick(rng, ("cpp", "cc")))
    obj = f"src/CMakeFiles/{target}.dir/{rel.removeprefix('src/')}.o"
    lines.append(f"FAILED: {obj}" if ninja else f"[{pct + 10:3d}%] Building CXX object {obj}")
    if ninja:
        lines.append(
            f"/usr/bin/{'clang++' if clang else 'c++'} -DNDEBUG -I{wd}/include -O2 "
            f"-std=c++20 -MD -MT {obj} -o {obj} -c {wd}/{rel}"
        )
    n = rng.randint(1, 4)
    for i in range(n):
        gmsg, cmsg, src, mark = c.pick(rng, _CPP_ERRORS)
        nm = c.names(rng)
        code, target_text = src.format(**nm), mark.format(**nm)
        line, col = rng.randint(5, 600), c.find_col(code, target_text)
        if i == 0 and rng.random() < 0.5:
            lines.append(f"{wd}/{rel}: In member function 'void {nm['T']}::{nm['cm']}()':")
        fatal = "fatal error" if "No such file" in gmsg or "not found" in cmsg else "error"
        lines.append(f"{wd}/{rel}:{line}:{col}: {fatal}: {(cmsg if clang else gmsg).format(**nm)}")
        if clang:
            lines += [code, " " * (col - 1) + "^"]
        else:
            lines += c.gcc_excerpt(line, code, target_text)
        if fatal == "fatal error":
            lines.append("compilation terminated." if not clang else "")
            break
    if clang:
        lines.append(f"{n} error{'s' if n > 1 else ''} generated.")
    if ninja:
        lines.append("ninja: build stopped: subcommand failed.")
    else:
        lines += [
            f"gmake[2]: *** [src/CMakeFiles/{target}.dir/build.make:{rng.randint(70, 400)}: "
            f"{obj}] Error 1",
            f"gmake[1]: *** [CMakeFiles/Makefile2:{rng.randint(90, 300)}: "
            f"src/CMakeFiles/{target}.dir/all] Error 2",
            "gmake: *** [Makefile:146: all] Error 2",
        ]
    cmd = c.pick(rng, ("cmake --build build -j 2", "cmake --build build --parallel", "make -j2"))
    return c.finish(rng, eco, LABEL, lines, "Build", cmd, stack="cpp", code=1 if ninja else 2)


def linker_undefined(rng: random.Random, eco: str) -> Failure:
    """The link step fails: GNU ld, lld, or rustc's ``linking with `cc` failed``."""
    nm = c.names(rng)
    sym = c.pick(
        rng,
        (
            f"{nm['T']}::{nm['cm']}()",
            f"{nm['U']}::{nm['U']}(std::string const&)",
            f"{nm['v']}_init",
            f"vtable for {nm['T']}",
            "pthread_create",
            "SSL_CTX_new",
        ),
    )
    app = c.pick(rng, ("server", "app", "cli", "unit_tests"))
    gnu = [
        f"/usr/bin/ld: CMakeFiles/{app}.dir/src/{nm['mod']}.cpp.o: in function `{nm['cm']}()':",
        f"{nm['mod']}.cpp:(.text+0x{rng.randint(16, 4000):x}): undefined reference to `{sym}'",
    ]
    if rng.random() < 0.5:
        gnu.append(
            f"/usr/bin/ld: {nm['mod']}.cpp:(.text+0x{rng.randint(16, 4000):x}): undefined "
            f"reference to `{nm['U']}::{nm['m']}() const'"
        )
    gnu.append("collect2: error: ld returned 1 exit status")
    lld = [
        f"ld.lld: error: undefined symbol: {sym}",
        f">>> referenced by {nm['mod']}.cpp:{rng.randint(5, 300)}",
        f">>>               CMakeFiles/{app}.dir/src/{nm['mod']}.cpp.o:({nm['cm']}())",
        "clang++: error: linker command failed with exit code 1 (use -v to see invocation)",
    ]
    if eco == "rust":
        crate = c.pick(rng, c.PROJECTS)
        lines = [
            f"   Compiling {crate} v0.{rng.randint(1, 9)}.0 ({c.workdir(rng)})",
            "error: linking with `cc` failed: exit status: 1",
            "  |",
            f'  = note: LC_ALL="C" PATH="/usr/local/cargo/bin:/usr/bin" "cc" "-m64" '
            f'"/tmp/rustc{rng.getrandbits(24):06x}/symbols.o" "-o" "target/debug/deps/{crate}"',
            *[f"  = note: {ln}" if i == 0 else f"          {ln}" for i, ln in enumerate(gnu)],
            "",
            f'error: could not compile `{crate}` (bin "{crate}") due to 1 previous error',
        ]
        return c.finish(
            rng, eco, LABEL, lines, "Build", "cargo build --release", stack="rust", code=101
        )
    lines = [
        f"[{rng.randint(90, 99)}%] Building CXX object CMakeFiles/{app}.dir/src/main.cpp.o",
        f"[100%] Linking CXX executable {app}",
        *(lld if rng.random() < 0.35 else gnu),
        f"gmake[2]: *** [CMakeFiles/{app}.dir/build.make:{rng.randint(100, 300)}: {app}] Error 1",
        f"gmake[1]: *** [CMakeFiles/Makefile2:{rng.randint(80, 200)}: CMakeFiles/{app}.dir/all] "
        "Error 2",
        "gmake: *** [Makefile:136: all] Error 2",
    ]
    return c.finish(rng, eco, LABEL, lines, "Build", "cmake --build build", stack="cpp", code=2)


_CS_ERRORS = (
    ("CS0103", "The name '{cm}' does not exist in the current context"),
    (
        "CS0246",
        "The type or namespace name '{T}' could not be found (are you missing a using "
        "directive or an assembly reference?)",
    ),
    ("CS1002", "; expected"),
    ("CS0029", "Cannot implicitly convert type 'string' to 'int'"),
    (
        "CS1061",
        "'{T}' does not contain a definition for '{U}' and no accessible extension method "
        "'{U}' accepting a first argument of type '{T}' could be found (are you missing a using "
        "directive or an assembly reference?)",
    ),
    ("CS0535", "'{T}Service' does not implement interface member 'I{T}Service.{U}Async()'"),
    (
        "CS8618",
        "Non-nullable property '{U}' must contain a non-null value when exiting "
        "constructor. Consider adding the 'required' modifier or declaring the property as nullable.",
    ),
)


def csharp_build(rng: random.Random, eco: str) -> Failure:
    app, wd = f"Acme.{c.pascal(rng, 1)}", c.workdir(rng)
    proj = f"{wd}/src/{app}/{app}.csproj"
    lines = [
        f"MSBuild version 17.{rng.randint(3, 11)}.{rng.randint(0, 9)}+{rng.getrandbits(32):08x} "
        "for .NET",
        "  Determining projects to restore...",
        "  All projects are up-to-date for restore.",
    ]
    errors = []
    for _ in range(rng.randint(1, 5)):
        code, msg = c.pick(rng, _CS_ERRORS)
        nm = c.names(rng)
        path = f"{wd}/src/{app}/{c.pick(rng, ('Services', 'Controllers', 'Models', 'Http'))}/{nm['T']}.cs"
        errors.append(
            f"{path}({rng.randint(5, 300)},{rng.randint(1, 60)}): error {code}: "
            f"{msg.format(**nm)} [{proj}]"
        )
    lines += [*errors, "", "Build FAILED.", ""]
    lines += [
        *errors,
        f"    {rng.randint(0, 12)} Warning(s)",
        f"    {len(errors)} Error(s)",
        "",
        f"Time Elapsed 00:00:{rng.randint(3, 59):02d}.{rng.randint(0, 99):02d}",
    ]
    cmd = c.pick(
        rng, ("dotnet build --no-restore -c Release", "dotnet publish -c Release", "dotnet build")
    )
    return c.finish(rng, eco, LABEL, lines, "Build", cmd, stack="dotnet")


def js_bundler_syntax(rng: random.Random, eco: str) -> Failure:
    """esbuild, Vite and webpack/Babel refuse a syntax error while transpiling."""
    nm, wd = c.names(rng), c.workdir(rng)
    path = c.src_file(rng, "src/", c.pick(rng, ("tsx", "jsx", "ts", "js")), "camel")
    line, col = rng.randint(3, 300), rng.randint(2, 40)
    tool = c.pick(rng, ("esbuild", "vite", "webpack"))
    if tool == "esbuild":
        msg = c.pick(
            rng,
            (
                'Expected ";" but found "{v}"',
                'Unexpected "}}"',
                'The symbol "{cm}" has already been declared',
            ),
        ).format(**nm)
        lines = [
            f"✘ [ERROR] {msg}",
            "",
            f"    {path}:{line}:{col}:",
            f"      {line} │   const {nm['cm']} = {nm['w']}",
            f"         ╵ {' ' * col}^",
            "",
            "1 error",
            "error: build failed" if rng.random() < 0.5 else "",
        ]
    elif tool == "vite":
        lines = [
            f"vite v{rng.randint(4, 5)}.{rng.randint(0, 4)}.{rng.randint(0, 9)} building for "
            "production...",
            f"transforming ({rng.randint(10, 900)}) src/main.tsx",
            f"✓ {rng.randint(10, 900)} modules transformed.",
            "error during build:",
            "[vite:esbuild] Transform failed with 1 error:",
            f'{wd}/{path}:{line}:{col}: ERROR: Expected ")" but found "{nm["v"]}"',
            f"file: {wd}/{path}:{line}:{col}",
            "",
            f'Expected ")" but found "{nm["v"]}"',
            f"{line} |    return ({nm['cm']} {nm['v']})",
            f"   |  {' ' * col}^",
        ]
    else:
        lines = [
            f"assets by status {rng.randint(100, 900)} KiB [cached] {rng.randint(2, 20)} assets",
            "",
            f"ERROR in ./{path}",
            "Module build failed (from ./node_modules/babel-loader/lib/index.js):",
            f"SyntaxError: {wd}/{path}: Unexpected token ({line}:{col})",
            "",
            f"  {line - 1} |   return (",
            f"> {line} |     <{nm['T']} {nm['cm']}={{{nm['v']}}}",
            f"    | {' ' * col}^",
            "",
            f"webpack {rng.randint(4, 5)}.{rng.randint(50, 95)}.0 "
            f"compiled with 1 error in {rng.randint(900, 40000)} ms",
        ]
    lines = [ln for ln in lines if ln or rng.random() < 0.7]
    cmd = c.pick(rng, ("npm run build", "yarn build", "pnpm build"))
    return c.finish(rng, eco, LABEL, lines, "Build", cmd, stack="node", tags=(tool,))


def protoc_codegen(rng: random.Random, eco: str) -> Failure:
    """protoc/buf reject a .proto file while generating code."""
    nm = c.names(rng)
    path = f"proto/acme/{nm['mod']}/v1/{nm['mod']}.proto"
    line, col = rng.randint(5, 120), rng.randint(3, 30)
    msgs = (
        f'"{nm["T"]}" is not defined.',
        f"Field number {nm['n']} has already been used in "
        f'"acme.{nm["mod"]}.v1.{nm["T"]}" by field "{nm["v"]}".',
        'Expected ";".',
        f'Import "acme/{nm["w"]}/v1/{nm["w"]}.proto" was not found or had errors.',
        f'"{nm["U"]}" is already defined in file "{path}".',
    )
    msg = c.pick(rng, msgs)
    if rng.random() < 0.5:
        lines = [f"{path}:{line}:{col}: {msg}"]
        if rng.random() < 0.5:
            lines.append(
                f'{path}:{line + 3}:{col}: "{nm["U"]}" seems to be defined in "acme/'
                f'{nm["w"]}/v1/{nm["w"]}.proto", which is not imported by "{path}".  To use '
                "it here, please add the necessary import."
            )
        lang = c.pick(rng, ("go", "python", "java", "cpp"))
        echo = [
            f"mkdir -p gen/{lang}",
            "protoc --version",
            f"libprotoc {rng.randint(3, 27)}.{rng.randint(0, 9)}",
            f"protoc -I proto --{lang}_out=gen/{lang} proto/acme/*/v1/*.proto",
        ]
    else:
        lines = [f"{path}:{line}:{col}:{msg}"]
        echo = ["buf format -d --exit-code", "buf lint", "buf generate"]
    target = c.pick(rng, ("generate", "proto", "gen"))
    lines = [*echo, *lines, f"make: *** [Makefile:{rng.randint(10, 90)}: {target}] Error 1"]
    return c.finish(rng, eco, LABEL, lines, "Generate code", f"make {target}", stack=eco, code=2)


def python_bytecompile(rng: random.Random, eco: str) -> Failure:
    """``compileall`` / Cython reject source before packaging."""
    nm = c.names(rng)
    mod = c.py_module(rng).replace(".", "/")
    if rng.random() < 0.5:
        line = rng.randint(3, 400)
        code = c.pick(
            rng,
            (
                f"    if {nm['v']} = {nm['n']}:",
                f"    print {nm['v']}",
                f"    return {{{nm['v']}: {nm['w']}",
                f"def {nm['m']}({nm['v']}, *, ):",
            ),
        )
        msg = c.pick(
            rng,
            (
                "invalid syntax",
                "Missing parentheses in call to 'print'. Did you mean print(...)?",
                "'{' was never closed",
                "invalid syntax. Maybe you meant '==' or ':=' instead of '='?",
            ),
        )
        lines = [
            f"Listing 'src/{mod.rsplit('/', 1)[0]}'...",
            f"Compiling 'src/{mod}.py'...",
            f"*** Error compiling 'src/{mod}.py'...",
            f'  File "src/{mod}.py", line {line}',
            code,
            "    " + " " * rng.randint(2, 12) + "^" * rng.randint(1, 4),
            f"SyntaxError: {msg}",
        ]
        cmd = "python -m compileall -q src"
    else:
        pyx = f"src/{mod}.pyx"
        line, col = rng.randint(3, 300), rng.randint(5, 40)
        lines = [
            f"Compiling {pyx} because it changed.",
            f"[1/1] Cythonizing {pyx}",
            "",
            "Error compiling Cython file:",
            "-" * 60,
            "...",
            f"cdef double {nm['v']}(double[:] xs):",
            f"    return {nm['cm']}(xs)",
            " " * (col - 1) + "^",
            "-" * 60,
            "",
            f"{pyx}:{line}:{col}: undeclared name not builtin: {nm['cm']}",
            "Traceback (most recent call last):",
            "  ...",
            f"Cython.Compiler.Errors.CompileError: {pyx}",
        ]
        cmd = c.pick(
            rng, ("python setup.py build_ext --inplace", "pip install -e . --no-build-isolation")
        )
    return c.finish(rng, eco, LABEL, lines, "Build", cmd, stack="python")


def _family(slug: str, ecosystems: tuple[str, ...], make: c.Maker) -> Family:
    return Family(f"{LABEL}/{slug}", LABEL, ecosystems, make)


FAMILIES: list[Family] = [
    _family("rustc-error", ("rust", "docker"), rustc_error),
    _family("tsc-build", ("node", "docker"), tsc_build),
    _family("javac-maven", ("java",), javac_maven),
    _family("gradle-kotlin-compile", ("java",), gradle_kotlin_compile),
    _family("go-build", ("go", "docker"), go_build),
    _family("gcc-clang-compile", ("cpp", "docker"), gcc_clang_compile),
    _family("linker-undefined", ("cpp", "rust"), linker_undefined),
    _family("csharp-build", ("dotnet", "docker"), csharp_build),
    _family("js-bundler-syntax", ("node",), js_bundler_syntax),
    _family("protoc-codegen", ("go", "python", "java", "cpp"), protoc_codegen),
    _family("python-bytecompile", ("python",), python_bytecompile),
]
