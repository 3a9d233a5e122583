#!/usr/bin/env python3
"""Draws the chart of docs/dashboards.md from a running gateway's /api/v1/interactions/stats (the demo by default):
interactions per day and source, stacked, with the average normalized rating per source as a line.

    python3 scripts/stats-chart.py [base-url] [api-key] > target/stats-chart.html
    chromium --headless --screenshot=docs/stats-chart.png --window-size=960,460 target/stats-chart.html
"""
import json
import sys
import urllib.request

base = sys.argv[1] if len(sys.argv) > 1 else "http://localhost:8080"
key = sys.argv[2] if len(sys.argv) > 2 else "tributary-demo-key"
query = "/api/v1/interactions/stats?groupBy=source&interval=day&tz=Europe/Berlin"
request = urllib.request.Request(base + query, headers={"X-API-Key": key})
stats = json.load(urllib.request.urlopen(request))

days = sorted({group["bucket"][:10] for group in stats["groups"]})
sources = sorted({group["key"]["source"] for group in stats["groups"]})
count = {(g["bucket"][:10], g["key"]["source"]): g["count"] for g in stats["groups"]}
rating = {(g["bucket"][:10], g["key"]["source"]): g["avgRating"] for g in stats["groups"]}
colors = {"greenflash": "#2e9e5b", "zylon": "#3b6fd8", "flockx": "#e08a1e"}
width, height, left, bottom, top = 960, 460, 60, 64, 62
plot_w, plot_h = width - left - 80, height - bottom - top
peak = max(sum(count.get((d, s), 0) for s in sources) for d in days) or 1
bar = plot_w / max(1, len(days))
svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
       f'<text x="{left}" y="24" font-size="16" font-weight="bold">Interactions per day (bars, left) and average '
       f'normalized rating (lines, right), per source</text>',
       f'<text x="{left}" y="44" fill="#555">GET {query}</text>']
for tick in range(0, 5):
    value = peak * tick / 4
    y = top + plot_h - plot_h * tick / 4
    svg.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y}" y2="{y}" stroke="#ddd"/>')
    svg.append(f'<text x="{left - 8}" y="{y + 4}" text-anchor="end">{value:.0f}</text>')
    svg.append(f'<text x="{left + plot_w + 8}" y="{y + 4}">{tick / 4:.2f}</text>')
for i, day in enumerate(days):
    y = top + plot_h
    for source in sources:
        n = count.get((day, source), 0)
        h = plot_h * n / peak
        y -= h
        svg.append(f'<rect x="{left + i * bar + 2}" y="{y}" width="{bar - 4}" height="{h}" fill="{colors.get(source, "#888")}" opacity="0.75"/>')
    if len(days) <= 31 and (i % max(1, len(days) // 10) == 0):
        svg.append(f'<text x="{left + i * bar + bar / 2}" y="{top + plot_h + 16}" text-anchor="middle">{day[5:]}</text>')
for source in sources:
    points = [(left + i * bar + bar / 2, top + plot_h - plot_h * rating[(d, source)])
              for i, d in enumerate(days) if rating.get((d, source)) is not None]
    if points:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        svg.append(f'<polyline points="{path}" fill="none" stroke="{colors.get(source, "#888")}" stroke-width="2.5"/>')
for j, source in enumerate(sources):
    x = left + j * 140
    svg.append(f'<rect x="{x}" y="{height - 24}" width="14" height="14" fill="{colors.get(source, "#888")}"/>')
    svg.append(f'<text x="{x + 20}" y="{height - 12}">{source}</text>')
svg.append("</svg>")
print("<!doctype html><html><body style='margin:0;background:white'>" + "".join(svg) + "</body></html>")
