"""The shortest correct program that does what `proctorprep analyze` must at least do: decode every frame of a
video and run mediapipe Face Mesh (the same options as FaceAnalyser: refine_landmarks, 3 faces, video mode) on the
frames analyse would take (every other one of a 30 fps file at the default 15 analysed frames a second).

    .venv/bin/python bench/bare_facemesh.py VIDEO [--analysis-fps 15] [--paced SECONDS] [--max-faces 3]

--max-faces: 3 (the default) is Face Mesh as the job needs it when one graph must also count a second person; 1
is the one-face tracking graph FaceAnalyser runs on every frame since it asks a face detector a few times a second
for the others (perception/face_count.py), printed beside it so the ratio is read against both.

bench_pipeline runs it as a whole command beside `proctorprep analyze` on the same clip: the ratio of the two is the
price of everything analyze does on top (start-up, voice, rules, journal, report).

--paced SECONDS: the live session's control instead. The clip is decoded in real time at its own rate, looping,
and Face Mesh runs on 15 frames a second, for SECONDS; it prints its CPU time over its wall time (% of one core) as
JSON. bench_live runs it beside the app: what Face Mesh alone costs on this machine at that very moment (the load
of a shared machine inflates CPU time too: caches, memory bandwidth), to read the app's own figure against.
"""

import argparse
import json
import sys
import time

import cv2
import mediapipe as mp


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("video")
    ap.add_argument("--analysis-fps", type=float, default=15.0)
    ap.add_argument("--paced", type=float, metavar="SECONDS", help="real time, looping, for SECONDS (see above)")
    ap.add_argument("--max-faces", type=int, default=3, help="Face Mesh's max_num_faces (default 3; see above)")
    args = ap.parse_args()
    if args.paced:
        return paced(args.video, args.analysis_fps, args.paced, args.max_faces)
    cap = cv2.VideoCapture(args.video)
    fps = cap.get(cv2.CAP_PROP_FPS) or 30.0
    mesh = mp.solutions.face_mesh.FaceMesh(static_image_mode=False, max_num_faces=args.max_faces,
                                           refine_landmarks=True)
    step, next_t, index, found, analysed = 1.0 / args.analysis_fps, 0.0, 0, 0, 0
    while True:
        ok, image = cap.read()
        if not ok:
            break
        t = index / fps
        if t >= next_t - 0.25 * step:
            next_t += step
            analysed += 1
            found += bool(mesh.process(cv2.cvtColor(image, cv2.COLOR_BGR2RGB)).multi_face_landmarks)
        index += 1
    print(f"{index} frames decoded, {analysed} analysed, a face in {found}")
    return 0 if analysed else 1


def paced(video: str, analysis_fps: float, seconds: float, max_faces: int = 3) -> int:
    mesh = mp.solutions.face_mesh.FaceMesh(static_image_mode=False, max_num_faces=max_faces, refine_landmarks=True)
    cap = cv2.VideoCapture(video)
    fps = cap.get(cv2.CAP_PROP_FPS) or 30.0
    cpu0, t0 = time.process_time(), time.monotonic()
    frames = analysed = 0
    next_analysis = 0.0
    while (now := time.monotonic() - t0) < seconds:
        ok, image = cap.read()
        if not ok:
            cap.release()
            cap = cv2.VideoCapture(video)
            continue
        frames += 1
        if now >= next_analysis:
            next_analysis += 1.0 / analysis_fps
            mesh.process(cv2.cvtColor(image, cv2.COLOR_BGR2RGB))
            analysed += 1
        wait = frames / fps - (time.monotonic() - t0)
        if wait > 0:
            time.sleep(wait)
    wall = time.monotonic() - t0
    print(json.dumps({"cpu_pct": (time.process_time() - cpu0) / wall * 100.0, "wall_s": wall, "frames": frames,
                      "analysed": analysed}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
