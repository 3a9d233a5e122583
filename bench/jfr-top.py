#!/usr/bin/env python3
"""Where a gateway's request threads spend their CPU, from a JFR recording of bench/run.sh --profile.

Usage: python3 bench/jfr-top.py target/bench/bench_default.jfr [--threads http-nio] [--since HH:MM:SS] [--top 30]

Reads `jfr print --events jdk.ExecutionSample` and prints, over the samples of the threads whose name
contains --threads (Tomcat's request threads by default) taken at or after --since (the start of the
serving phase, say): the top frames (self time), and inclusive shares of the layers a list request goes
through (a sample counts in every layer one of its frames belongs to).
"""
import argparse
import collections
import re
import subprocess

LAYERS = [
    ("Jackson (writing JSON)", r"^tools\.jackson\.(core|databind)\."),
    ("PostgreSQL JDBC driver", r"^org\.postgresql\."),
    ("HikariCP", r"^com\.zaxxer\.hikari\."),
    ("Spring JDBC (JdbcClient, row mapping)", r"^org\.springframework\.jdbc\."),
    ("row mapping (InteractionQuery.summary, ConversationGroups)", r"^io\.tributary\.interaction\.(InteractionQuery\.summary|ConversationGroups\.lambda)"),
    ("list page writer (ListPages)", r"^io\.tributary\.interaction\.ListPages"),
    ("freshness (AnswerFreshness, Freshness)", r"^io\.tributary\.sync\.(AnswerFreshness|Freshness)"),
    ("cursor signing (SignedCursors)", r"^io\.tributary\.common\.SignedCursors"),
    ("ETag (ETags)", r"^io\.tributary\.interaction\.ETags"),
    ("filter binding and validation", r"^(io\.tributary\.web\.RecordParameters|org\.hibernate\.validator|org\.springframework\.validation|io\.tributary\.web\.StrictParameters|org\.springframework\.web\.method\.annotation\.ModelAttribute)"),
    ("Spring Security filter chain", r"^org\.springframework\.security\."),
    ("API key check and rate limit", r"^io\.tributary\.security\."),
    ("observation / tracing / metrics", r"^(io\.micrometer\.|io\.opentelemetry\.|org\.springframework\.web\.filter\.ServerHttpObservationFilter)"),
    ("logging", r"^(ch\.qos\.logback\.|org\.slf4j\.|io\.tributary\.config\.LogRedaction)"),
    ("Spring MVC dispatch", r"^org\.springframework\.web\.servlet\."),
    ("Tomcat and NIO", r"^(org\.apache\.(catalina|coyote|tomcat)\.|sun\.nio\.|java\.nio\.)"),
    ("class loading (jar resources)", r"^(org\.springframework\.boot\.loader\.|java\.lang\.ClassLoader\.loadClass)"),
]


def samples(path, threads, since):
    text = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "256", path],
                          check=True, capture_output=True, text=True).stdout
    for block in text.split("jdk.ExecutionSample {")[1:]:
        start = re.search(r"startTime = (\S+)", block).group(1)
        thread = re.search(r'sampledThread = "([^"]*)"', block).group(1)
        if threads not in thread or (since and start[:8] < since):
            continue
        frames = re.findall(r"^\s{4}(\S.*?)(?:\s+line:.*)?$", block.split("stackTrace = [", 1)[1], re.M)
        frames = [f for f in frames if f not in ("...", "]")]
        if frames:
            yield frames


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("jfr")
    parser.add_argument("--threads", default="http-nio")
    parser.add_argument("--since", default=None)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--detail", type=int, default=0, help="the N frames each layer's own samples are in most")
    args = parser.parse_args()
    top = collections.Counter()
    layers = collections.Counter()
    own = collections.Counter()
    where = collections.defaultdict(collections.Counter)
    total = 0
    for frames in samples(args.jfr, args.threads, args.since):
        total += 1
        top[re.sub(r"\(.*", "", frames[0])] += 1
        for name, pattern in LAYERS:
            if any(re.match(pattern, f) for f in frames):
                layers[name] += 1
        layer, frame = next(((name, f) for f in frames for name, pattern in LAYERS if re.match(pattern, f)),
                            ("other", frames[0]))
        own[layer] += 1
        where[layer][re.sub(r"\(.*", "", frame)] += 1
    print(f"{total} samples of threads named *{args.threads}*" + (f" since {args.since}" if args.since else ""))
    print("\ntop frames (self):")
    for frame, n in top.most_common(args.top):
        print(f"  {100 * n / total:5.1f}%  {frame}")
    print("\nlayers: own (the layer of the frame nearest the top that belongs to one; JDK frames count for"
          " their caller) / inclusive (a sample counts in each layer on its stack)")
    for name, _ in LAYERS + [("other", None)]:
        print(f"  {100 * own[name] / max(1, total):5.1f}% / {100 * layers[name] / max(1, total):5.1f}%  {name}")
        for frame, n in where[name].most_common(args.detail):
            print(f"              {100 * n / total:5.1f}%  {frame}")


if __name__ == "__main__":
    main()
