#!/usr/bin/env python3
"""Turns one bench/compare.sh run directory into summary.md, summary.json and chart.svg.

Derived metrics (per target):
  cpu_us_per_msg   proxy CPU time (utime + stime from /proc/PID/stat) over the whole throughput run,
                   divided by the messages delivered in that run. Each delivered message crossed the
                   proxy twice: PUBLISH client -> broker and its delivery broker -> client.
  added_p99_us     latency p99 through the proxy minus the direct p99 of the same run.
  kib_per_conn     (VmRSS while the storm's sessions are held idle - VmRSS before the storm) / sessions.
"""
import json
import sys
from pathlib import Path

TARGETS = ["direct", "bastion", "haproxy"]
SHORT = {
    "cpu_us_per_msg": "proxy CPU per message",
    "p99_us": "latency p99",
    "added_p99_us": "added p99 over direct",
    "kib_per_conn": "RSS per held connection",
    "connects_per_s": "CONNACKs per second",
    "handshakes_per_s": "TLS sessions per second",
}
COLORS = {"direct": "#9aa5b1", "bastion": "#2f6fde", "haproxy": "#e07b39"}


def load(out, scenario, label):
    f = out / f"{scenario}-{label}.json"
    p = out / f"{scenario}-{label}.proc.json"
    if not f.exists():
        return None, None
    return json.loads(f.read_text()), (json.loads(p.read_text()) if p.exists() else None)


def metrics(out):
    m = {t: {} for t in TARGETS}
    for t in TARGETS:
        r, proc = load(out, "throughput", t)
        if r:
            m[t]["msg_per_s"] = r["msg_per_s"]
            m[t]["tp_failures"] = r["failures"] + r["dropped"]
            if proc and proc.get("cpu_ticks_after") is not None and r["delivered_total"]:
                # older runs recorded only the sum
                cpu_us = (proc["cpu_ticks_after"] - proc["cpu_ticks_before"]) * 1e6 / proc["clk_tck"]
                m[t]["cpu_us_per_msg"] = cpu_us / r["delivered_total"]
            elif proc and proc.get("user_ticks_after") is not None and r["delivered_total"]:
                user_us = (proc["user_ticks_after"] - proc["user_ticks_before"]) * 1e6 / proc["clk_tck"]
                sys_us = (proc["sys_ticks_after"] - proc["sys_ticks_before"]) * 1e6 / proc["clk_tck"]
                cpu_us = user_us + sys_us
                m[t]["cpu_us_per_msg"] = cpu_us / r["delivered_total"]
                m[t]["cpu_sys_share"] = sys_us / cpu_us if cpu_us else None
                m[t]["cpu_share"] = cpu_us / 1e6 / max(r["duration_s"], 1e-9)
        r, _ = load(out, "latency", t)
        if r:
            for k in ("p50_us", "p99_us", "p999_us", "max_us", "rate_received"):
                m[t][k] = r[k]
        r, proc = load(out, "connect", t)
        if r:
            m[t]["connects_per_s"] = r["connects_per_s"]
            m[t]["connect_failures"] = r["failures"] + r["dropped_during_hold"]
            m[t]["connected"] = r["connected"]
            if proc and proc["rss_kib_hold"] is not None and r["connected"]:
                m[t]["kib_per_conn"] = (proc["rss_kib_hold"] - proc["rss_kib_before"]) / r["connected"]
                m[t]["rss_mib_hold"] = proc["rss_kib_hold"] / 1024
        r, _ = load(out, "tls", t)
        if r:
            m[t]["handshakes_per_s"] = r["handshakes_per_s"]
            m[t]["tls_failures"] = r["failures"]
    if "p99_us" in m["direct"]:
        for t in ("bastion", "haproxy"):
            if "p99_us" in m[t]:
                m[t]["added_p99_us"] = m[t]["p99_us"] - m["direct"]["p99_us"]
    return m


# (key, label, unit, better, fmt)
ROWS = [
    ("cpu_us_per_msg", "proxy CPU per message relayed", "µs", "lower", "{:.2f}"),
    ("cpu_sys_share", "… of which in the kernel", "share", "", "{:.0%}"),
    ("msg_per_s", "throughput, delivered", "msg/s", "higher", "{:,.0f}"),
    ("p50_us", "latency p50", "µs", "lower", "{:,.0f}"),
    ("p99_us", "latency p99", "µs", "lower", "{:,.0f}"),
    ("added_p99_us", "added p99 latency over direct", "µs", "lower", "{:,.0f}"),
    ("p999_us", "latency p99.9", "µs", "lower", "{:,.0f}"),
    ("kib_per_conn", "resident memory per held connection", "KiB", "lower", "{:.1f}"),
    ("connects_per_s", "connection storm, CONNACKs", "/s", "higher", "{:,.0f}"),
    ("connect_failures", "storm failures + drops while idle", "", "lower", "{:.0f}"),
    ("handshakes_per_s", "new TLS sessions (handshake + CONNECT)", "/s", "higher", "{:,.0f}"),
]


def fmt(v, f):
    return "–" if v is None else f.format(v)


def table(m, run):
    lines = [
        "| metric | direct | Bastion | HAProxy | Bastion ÷ HAProxy | better |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for key, label, unit, better, f in ROWS:
        vals = [m[t].get(key) for t in TARGETS]
        if all(v is None for v in vals):
            continue
        d, b, h = vals
        if key in ("cpu_us_per_msg", "cpu_sys_share", "kib_per_conn", "added_p99_us"):
            d_txt = "(no proxy)"
        else:
            d_txt = fmt(d, f)
        if key == "handshakes_per_s" and b is None:
            b_txt = "n/a ¹"
        else:
            b_txt = fmt(b, f)
        ratio = "–"
        if b is not None and h not in (None, 0) and key not in ("connect_failures", "cpu_sys_share"):
            ratio = f"{b / h:.2f}×"
        name = f"{label} ({unit})" if unit else label
        lines.append(f"| {name} | {d_txt} | {b_txt} | {fmt(h, f)} | {ratio} | {better} |")
    notes = []
    if m["bastion"].get("handshakes_per_s") is None and m["haproxy"].get("handshakes_per_s") is not None:
        notes.append("¹ Bastion has no TLS listener yet; TLS is measured direct (Mosquitto's own TLS "
                     "listener) and through HAProxy terminating TLS.")
    return "\n".join(lines) + ("\n\n" + "\n".join(notes) if notes else "") + "\n"


def chart(m):
    panels = [(k, l, u, b) for k, l, u, b, _ in ROWS
              if k in ("cpu_us_per_msg", "added_p99_us", "p99_us", "kib_per_conn", "connects_per_s", "handshakes_per_s")
              and any(m[t].get(k) is not None for t in TARGETS)]
    pw, ph, top = 200, 210, 40
    width = pw * len(panels) + 20
    height = ph + top + 40
    s = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
         f'viewBox="0 0 {width} {height}" font-family="Helvetica, Arial, sans-serif" font-size="11">',
         f'<rect width="{width}" height="{height}" fill="white"/>',
         '<text x="10" y="18" font-size="14" font-weight="bold">Bastion vs HAProxy 2.6 vs direct '
         '(same machine, same run)</text>']
    lx = 10
    for t in TARGETS:
        s.append(f'<rect x="{lx}" y="{height - 22}" width="10" height="10" fill="{COLORS[t]}"/>'
                 f'<text x="{lx + 14}" y="{height - 13}">{t}</text>')
        lx += 80
    for i, (key, label, unit, better) in enumerate(panels):
        x0 = 10 + i * pw
        vals = {t: m[t].get(key) for t in TARGETS}
        if key in ("cpu_us_per_msg", "added_p99_us", "kib_per_conn"):
            vals["direct"] = None
        vmax = max([v for v in vals.values() if v is not None] + [1e-9])
        s.append(f'<text x="{x0 + pw / 2 - 10}" y="{top}" text-anchor="middle" font-weight="bold">{SHORT[key]}</text>')
        s.append(f'<text x="{x0 + pw / 2 - 10}" y="{top + 14}" text-anchor="middle" fill="#555">'
                 f'{unit}, {better} is better</text>')
        base = top + ph - 10
        bw = 40
        for j, t in enumerate(TARGETS):
            v = vals[t]
            bx = x0 + 15 + j * (bw + 8)
            if v is None:
                s.append(f'<text x="{bx + bw / 2}" y="{base - 4}" text-anchor="middle" fill="#999">n/a</text>')
                continue
            hgt = max(1.0, (ph - 60) * max(v, 0) / vmax)
            s.append(f'<rect x="{bx}" y="{base - hgt:.1f}" width="{bw}" height="{hgt:.1f}" fill="{COLORS[t]}"/>')
            txt = f"{v:,.2f}" if abs(v) < 100 else f"{v:,.0f}"
            s.append(f'<text x="{bx + bw / 2}" y="{base - hgt - 4:.1f}" text-anchor="middle">{txt}</text>')
        s.append(f'<line x1="{x0 + 10}" y1="{base}" x2="{x0 + pw - 25}" y2="{base}" stroke="#333"/>')
    s.append('</svg>')
    return "\n".join(s) + "\n"


def main():
    out = Path(sys.argv[1])
    run = json.loads((out / "run.json").read_text()) if (out / "run.json").exists() else {}
    m = metrics(out)
    md = table(m, run)
    (out / "summary.md").write_text(md)
    (out / "summary.json").write_text(json.dumps({"run": run, "metrics": m}, indent=2) + "\n")
    (out / "chart.svg").write_text(chart(m))
    print(md)


if __name__ == "__main__":
    main()
