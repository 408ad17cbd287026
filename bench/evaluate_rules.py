"""Evaluate the rules end to end: generate labelled sessions (tests/fixtures/sessions.py), run `proctorprep analyze`
on each exactly as a user would, and compare the incidents with the ground truth.

    .venv/bin/python bench/evaluate_rules.py [--out DIR] [--seeds 1 2] [--sessions looks glances ...]
                                             [--profile standard] [--fps 15] [--real-faces [NAME ...]]

--real-faces runs the harder behaviours (eyes-only glances past the screen edge, looks down at the desk, rocking,
a long stretch of irregular silent speech, whispering) on other real faces, at 640x480 and 320x240 and in dim light
(tests.fixtures.sessions.REAL_FACE_SESSIONS; the faces kept out of all tuning are tests.fixtures.real_faces.HELD_OUT,
the ones held out once and analysed since real_faces.EVALUATED_ONCE: each group has its own table).
A truth may name other types that also count (a whisper is "talking", or "mouthing" if too faint to hear).
Mouthing coverage: the share of each true mouthing span that the matched incidents cover.

Prints, per incident type: truths, detections, precision, recall, F1 and onset delay (from the true start of the
behaviour to the moment the rules raised the incident, against the goal "dwell + 0.5 s"); then false alarms per
10 minutes of compliant time. Matching: a detection matches a truth of the same type when their spans overlap
(0.5 s tolerance); one detection per truth. Generated clips are cached in --out (never committed).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import condition_sessions as conditions  # noqa: E402  (the exam-condition sessions, issue 19)
from proctorprep.rules.incident_types import incident_type, type_keys  # noqa: E402
from proctorprep.rules.thresholds import thresholds_for  # noqa: E402

TOL_S = 0.5
# The default set: generated sessions on the astronaut (tests.fixtures.sessions.standard_scripts; add a script there
# and its name here) and the exam-condition sessions (bench/condition_sessions.py).
SESSIONS = ["looks", "glances", "voice", "presence", "compliant", "looks_hard", "voice_hard", "presence_hard",
            *conditions.ALL]


def generate(out: Path, name: str, seed: int, fps: float, script: str | None = None, **kw):
    from tests.fixtures.sessions import make_session, standard_scripts

    tag = f"{name}-s{seed}"
    truth = out / f"{tag}.truth.json"
    if truth.exists() and (out / f"{tag}.avi").exists():
        return tag, json.loads(truth.read_text())
    s = make_session(out, tag, standard_scripts()[script or name], fps=fps, seed=seed, **kw)
    return tag, s.truth


def analyze(out: Path, tag: str, profile: str, data_dir: Path) -> tuple[dict, float]:
    """The report of `proctorprep analyze` on one session, and the CPU seconds it took (the machine may be shared:
    wall time would measure the others' load)."""
    report = out / f"{tag}.{profile}.json"
    env = {**os.environ, "PROCTORPREP_DATA_DIR": str(data_dir), "GLOG_minloglevel": "2"}
    t0 = _children_cpu()
    r = subprocess.run([sys.executable, "-m", "proctorprep", "analyze", str(out / f"{tag}.avi"), "--audio",
                        str(out / f"{tag}.wav"), "--profile", profile, "--json", str(report)],
                       cwd=ROOT, env=env, capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"analyze failed on {tag}: {r.stderr.strip().splitlines()[-1:]}")
    return json.loads(report.read_text()), _children_cpu() - t0


def _children_cpu() -> float:
    import resource

    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def overlaps(a: dict, b: dict) -> bool:
    return a["start_s"] < b["end_s"] + TOL_S and b["start_s"] < a["end_s"] + TOL_S


def onset_reference(truth: dict, thr, found: str | None = None) -> tuple[float, float]:
    """(when the behaviour became judgeable, the dwell it needs): a long look from its start; frequent glances
    from the start of the glance that completes the count (it needs glance_min_s). `found`: the type that found it
    (a whisper found as mouthing has mouthing's dwell)."""
    if truth.get("kind") == "glances":
        starts = truth["glance_starts"]
        k = min(len(starts), thr.glance_count) - 1
        return starts[k], thr.glance_min_s
    return truth["start_s"], _dwell(thr, found or truth["type"])


def _dwell(thr, type_key: str) -> float:
    """The type's dwell threshold (0 for a type that is an incident at once, such as second_screen)."""
    name = incident_type(type_key).dwell_threshold
    return getattr(thr, name) if name else 0.0


def evaluate(sessions: list[tuple[str, dict, dict]], profile: str) -> tuple[dict, dict]:
    thr = thresholds_for(profile)
    stats = {t: {"truths": 0, "found": 0, "tp_truth": 0, "tp_found": 0, "onsets": [], "late": 0, "cover": []}
             for t in type_keys()}
    fa, compliant_s = [], 0.0
    for tag, truth, report in sessions:
        incs = report["incidents"]
        used: dict[int, str] = {}     # detection -> the type of the truth it matched (a whisper found as mouthing
        #                               is a true "talking" detection, not a wrong mouthing one)
        for tr in truth["incidents"]:
            st = stats[tr["type"]]
            st["truths"] += 1
            kinds = [tr["type"], *tr.get("also", ())]
            matched = [j for j, inc in enumerate(incs) if j not in used and inc["type"] in kinds and overlaps(inc, tr)]
            if matched:
                # the first match is the detection; further ones over the same span are fragments of it (they are
                # not false alarms; the table counts them)
                first = matched[0]
                used.update({j: tr["type"] for j in matched})
                st["tp_truth"] += 1
                ref, dwell = onset_reference(tr, thr, incs[first]["type"])
                delay = float(incs[first]["evidence"].get("decided_s", incs[first]["start_s"])) - ref
                st["onsets"].append(delay)
                st["late"] += delay > dwell + 0.5
                span = tr["end_s"] - tr["start_s"]
                got = sum(max(0.0, min(incs[j]["end_s"], tr["end_s"]) - max(incs[j]["start_s"], tr["start_s"]))
                          for j in matched)
                st["cover"].append(got / span if span > 0 else 1.0)
                st.setdefault("fragments", 0)
                st["fragments"] += len(matched) - 1
        for j, inc in enumerate(incs):
            if j in used:
                stats[used[j]]["found"] += 1
                stats[used[j]]["tp_found"] += 1
                continue
            stats[inc["type"]]["found"] += 1
            t = float(inc["evidence"].get("decided_s", inc["start_s"]))
            if any(s <= t <= e for s, e in truth["compliant"]):
                fa.append((tag, inc["type"], round(t, 1), inc["explanation"]))
        cal = 5.0
        compliant_s += sum(max(0.0, e - max(s, cal)) for s, e in truth["compliant"])
    return stats, {"false_alarms": fa, "compliant_s": compliant_s}


def table(stats: dict, extra: dict, profile: str, skip_empty: bool = False) -> str:
    thr = thresholds_for(profile)
    lines = ["| type | truths | detected | precision | recall | F1 | coverage | onset mean / max (s) | "
             "goal: dwell + 0.5 s |", "|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for t, st in stats.items():
        if not st["truths"] and not st["found"]:
            if skip_empty:
                continue
            lines.append(f"| {t} | 0 | 0 | – | – | – | – | – | not in the generated set |")
            continue
        p = st["tp_found"] / st["found"] if st["found"] else float("nan")   # nothing found: no precision
        r = st["tp_truth"] / st["truths"] if st["truths"] else 0.0
        f1 = 2 * p * r / (p + r) if p == p and p + r else 0.0
        on = st["onsets"]
        onset = f"{sum(on) / len(on):.2f} / {max(on):.2f}" if on else "–"
        goal = f"≤ {_dwell(thr, t) + 0.5:.1f}"
        cover = (f"{100 * min(st['cover']):.0f}-{100 * max(st['cover']):.0f} % ({st.get('fragments', 0)} extra "
                 "pieces)") if st["cover"] else "–"
        if t == "looking_away":
            goal += f" (glances: ≤ {thr.glance_min_s + 0.5:.1f} after the completing glance starts)"
        ok = "met" if on and st["late"] == 0 else f"{st['late']} late"
        lines.append(f"| {t} | {st['truths']} | {st['found']} | {p:.2f} | {r:.2f} | {f1:.2f} | {cover} | {onset} | "
                     f"{goal}: {ok} |")
    minutes = extra["compliant_s"] / 60
    n = len(extra["false_alarms"])
    lines.append("")
    lines.append(f"Compliant time judged: {minutes:.1f} min; false alarms: {n} "
                 f"= {n / minutes * 10 if minutes else 0:.2f} per 10 min (goal ≤ 1).")
    for fa in extra["false_alarms"]:
        lines.append(f"- false alarm in {fa[0]} at {fa[2]} s: {fa[1]} ({fa[3]})")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "proctorprep-eval")
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--sessions", nargs="+", default=SESSIONS)
    ap.add_argument("--profile", default="standard")
    ap.add_argument("--fps", type=float, default=15.0)
    ap.add_argument("--real-faces", nargs="*", default=None, metavar="NAME",
                    help="run the harder sessions on other real faces instead (all of them, or the ones named)")
    ap.add_argument("--render-only", action="store_true",
                    help="only render the sessions into --out (rendering is the slow part; analyse later)")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    done: list[tuple[str, dict, dict]] = []
    media_s = wall = 0.0
    jobs = [(name, None, {}) for name in args.sessions]
    if args.real_faces is not None:
        from tests.fixtures.sessions import REAL_FACE_SESSIONS

        jobs = [(fs.name, fs.script, {"person": fs.person, "size": fs.size, "dim": fs.dim})
                for fs in REAL_FACE_SESSIONS
                if not args.real_faces or fs.name in args.real_faces or fs.person in args.real_faces]
    with tempfile.TemporaryDirectory() as data:
        for seed in args.seeds:
            for name, script, kw in jobs:
                if name == "compliant" and seed != args.seeds[0]:
                    continue     # one long compliant session is enough
                if name in conditions.EVENT_SESSIONS:      # the exam client's events: no clip to analyse
                    if not args.render_only:
                        done.extend(conditions.event_sessions(name, seed, args.profile))
                    continue
                if name in conditions.CLIP_SESSIONS:
                    tag, truth = conditions.clip_session(args.out, name, seed, args.fps)
                else:
                    tag, truth = generate(args.out, name, seed, args.fps, script, **kw)
                if args.render_only:
                    print(f"{tag}: rendered ({truth['duration_s']:.0f} s)", file=sys.stderr)
                    continue
                report, secs = analyze(args.out, tag, args.profile, Path(data))
                media_s += truth["duration_s"]
                wall += secs
                done.append((tag, truth, report))
                print(f"{tag}: {truth['duration_s']:.0f} s analysed in {secs:.1f} s of CPU, "
                      f"{len(report['incidents'])} incidents, {len(truth['incidents'])} true", file=sys.stderr)
    if args.render_only:
        return 0
    stats, extra = evaluate(done, args.profile)
    print(f"Profile {args.profile}; {len(done)} sessions, {media_s / 60:.1f} min of video at {args.fps:g} fps, "
          f"analysed at {media_s / max(wall, 1e-9):.1f}x real time of CPU (including start-up).\n")
    print(table(stats, extra, args.profile))
    if args.real_faces is not None:
        print(by_face(done, args.profile))
    return 0


def by_face(done: list[tuple[str, dict, dict]], profile: str) -> str:
    """Per person: what was found of each type, then the tables of the tuning and the held-out faces apart."""
    from tests.fixtures.real_faces import role

    people: dict[str, list] = {}
    for item in done:
        people.setdefault(item[1]["person"], []).append(item)
    lines = ["", "Per face (found / true; mouthing: coverage of the true span):", "",
             "| face | role | sessions | looking_away | restless | mouthing | whisper (talking or mouthing) | "
             "compliant min | false alarms |", "|---|---|---|---:|---:|---:|---:|---:|---:|"]
    for person, items in people.items():
        st, ex = evaluate(items, profile)

        def cell(t: str) -> str:
            s = st[t]
            return f"{s['tp_truth']}/{s['truths']}" + (f" +{s['found'] - s['tp_found']} wrong"
                                                     if s["found"] > s["tp_found"] else "")
        cover = st["mouthing"]["cover"]
        mouth = cell("mouthing") + (f" ({100 * min(cover):.0f} %)" if cover else "")
        kinds = ", ".join(tag.rsplit("-s", 1)[0].replace(f"-{person}", "") for tag, _, _ in items)
        lines.append(f"| {person} | {role(person)} | {kinds} | "
                     f"{cell('looking_away')} | {cell('restless')} | {mouth} | {cell('talking')} | "
                     f"{ex['compliant_s'] / 60:.1f} | {len(ex['false_alarms'])} |")
    for group, kind in (("Tuning faces", "tuning"), ("Faces evaluated once", "evaluated once"),
                        ("Held-out faces", "held out")):
        items = [i for p, its in people.items() if role(p) == kind for i in its]
        if items:
            st, ex = evaluate(items, profile)
            names = ", ".join(sorted({i[1]["person"] for i in items}))
            lines += ["", f"{group} ({names}):", "", table(st, ex, profile, skip_empty=True)]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
