#!/usr/bin/env python3
"""Seeded synthetic content in the spec's format, at any size, for benchmarks.

    python benchmarks/generate_content.py --recommendations 160000 --out /tmp/synthetic --seed 1

(`--states 8` reviews only eight States, so that a few thousand recommendations make pages as
heavy as the 160k site's heaviest: the tests' large site.)

Copies the reference files of the shipped content (site, themes, organisations,
countries) and writes ~50 sessions over 4 cycles in which every State is
reviewed once per cycle, with realistic recommendations: 15-60 words, joint
recommendations, 1-3 themes, translations on a tenth, follow-up on some. The
same seed and size always give the same bytes.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "content"

VERBS = [
    "Ratify",
    "Adopt",
    "Strengthen",
    "Ensure",
    "Continue to",
    "Take measures to",
    "Establish",
    "Guarantee",
    "Promote",
    "Combat",
    "Consider ratifying",
    "Intensify efforts to",
    "Implement",
    "Review",
    "Enact",
    "Redouble efforts to",
    "Take steps to",
    "Accelerate",
    "Develop",
    "Step up efforts to",
]
OBJECTS = [
    "the Optional Protocol to the Convention against Torture",
    "a national preventive mechanism",
    "the rights of women and girls",
    "measures to combat domestic violence",
    "access to education for all children",
    "the independence of the judiciary",
    "freedom of expression and of the press",
    "the protection of journalists",
    "a comprehensive anti-discrimination law",
    "birth registration in rural areas",
    "the national human rights institution",
    "the rights of persons with disabilities",
    "the Convention on the Rights of the Child",
    "child labour",
    "trafficking in persons",
    "the death penalty",
    "a moratorium on executions",
    "the rights of migrants and refugees",
    "conditions of detention",
    "prison overcrowding",
    "the right to health",
    "maternal mortality",
    "access to safe drinking water and sanitation",
    "the rights of indigenous peoples",
    "land rights",
    "human rights defenders",
    "civil society organisations",
    "peaceful assembly",
    "corruption",
    "impunity",
    "the Rome Statute of the International Criminal Court",
    "enforced disappearances",
    "statelessness",
    "the rights of lesbian, gay, bisexual, transgender and intersex persons",
    "hate speech",
    "racial discrimination",
    "the right to food",
    "poverty reduction",
    "the Sustainable Development Goals",
    "climate change adaptation",
    "cooperation with the special procedures",
    "a standing invitation to all special procedures",
    "reporting to the treaty bodies",
    "human rights education in schools",
    "training of law enforcement officials",
    "the minimum age of marriage",
    "female genital mutilation",
    "early and forced marriage",
    "the juvenile justice system",
    "the Paris Principles",
    "a national action plan on human rights",
    "gender equality in employment",
]
QUALIFIERS = [
    "in line with its international obligations",
    "with the support of the international community",
    "by allocating adequate human and financial resources",
    "in consultation with civil society",
    "in particular in rural and remote areas",
    "and ensure that perpetrators are brought to justice",
    "including through awareness-raising campaigns",
    "and collect disaggregated data to monitor progress",
    "as previously recommended",
    "within a clear time frame",
    "and report on progress at the next review",
    "so that victims have access to effective remedies",
    "with special attention to the most vulnerable groups",
    "and conduct a national survey on the issue",
    "on every working day of the year",
    "as a key priority of its national development plan",
    "following the example of Norway and other States",
]
FR = [
    "Ratifier le Protocole facultatif se rapportant à la Convention contre la torture",
    "Renforcer l'accès à l'éducation pour tous les enfants",
    "Adopter une loi complète contre la discrimination",
    "Garantir l'indépendance du pouvoir judiciaire",
    "Lutter contre la traite des personnes",
    "Améliorer les conditions de détention et réduire la surpopulation carcérale",
    "Protéger les défenseurs des droits de l'homme et les journalistes",
]
ES = [
    "Ratificar el Protocolo Facultativo de la Convención contra la Tortura",
    "Garantizar el acceso a la educación de todos los niños y niñas",
    "Adoptar una ley integral contra la discriminación",
    "Fortalecer la independencia del poder judicial",
    "Combatir la trata de personas",
    "Mejorar las condiciones de detención y reducir el hacinamiento",
    "Proteger a los defensores de los derechos humanos",
]
RESPONSES = ["supported"] * 70 + ["noted"] * 26 + ["partially-supported"] * 2 + ["pending", "no-response"]
STATUSES = ["not-implemented", "partially-implemented", "fully-implemented"]
SESSIONS_PER_CYCLE = 13  # 4 cycles, ~50 sessions


def q(text: str) -> str:
    """A YAML 1.2 double-quoted scalar (JSON strings are exactly that)."""
    return json.dumps(text, ensure_ascii=False)


def sentence(rng: random.Random) -> str:
    words: list[str] = []
    target = rng.randint(15, 60)
    parts = [rng.choice(VERBS), rng.choice(OBJECTS)]
    while len(" ".join(parts).split()) < target:
        parts.append(rng.choice(QUALIFIERS) if rng.random() < 0.6 else "and " + rng.choice(OBJECTS))
    words = " ".join(parts).split()[:target]
    return " ".join(words).rstrip(",") + "."


def generate(total: int, out: Path, seed: int, states: int | None = None) -> dict:
    """`states`: only the first so many Member States are reviewed and recommend, so that a small
    total has the density of a large one (the tests' large site: a 160k site's heaviest pages
    from a few thousand recommendations)."""
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for name in ("site.yaml", "themes.yaml", "organisations.yaml"):
        shutil.copy(REFERENCE / name, out / name)
    shutil.copytree(REFERENCE / "countries", out / "countries")
    (out / "pages").mkdir()
    (out / "pages" / "about.en.md").write_text("# About\n\nSynthetic benchmark content.\n", encoding="utf-8")

    codes = sorted(p.stem for p in (REFERENCE / "countries").glob("*.yaml"))
    members = [c for c in codes if c not in ("VAT", "PSE")]
    if states:
        members = members[:states]
    themes = [
        line.split(":", 1)[1].strip()
        for line in (REFERENCE / "themes.yaml").read_text().splitlines()
        if line.startswith("- id:")
    ]

    # Every Member State is reviewed once per cycle; spread over the cycle's sessions.
    reviews: list[tuple[int, str]] = []
    for cycle in range(1, 5):
        order = members[:]
        rng.shuffle(order)
        for index, code in enumerate(order):
            reviews.append(((cycle - 1) * SESSIONS_PER_CYCLE + 1 + index % SESSIONS_PER_CYCLE, code))
    sessions = sorted({n for n, _ in reviews})
    weights = [rng.uniform(0.4, 1.6) * (1 + 0.4 * ((n - 1) // SESSIONS_PER_CYCLE)) for n, _ in reviews]
    scale = total / sum(weights)
    counts = [int(w * scale) for w in weights]
    for i in range(total - sum(counts)):
        counts[i % len(counts)] += 1

    for number in sessions:
        folder = out / "sessions" / str(number)
        folder.mkdir(parents=True)
        cycle = (number - 1) // SESSIONS_PER_CYCLE + 1
        year = 2008 + (number - 1) // 3
        month = 1 + ((number - 1) % 3) * 4
        (folder / "session.yaml").write_text(
            f"number: {number}\ncycle: {cycle}\nstart: {year}-{month:02d}-05\nend: {year}-{month:02d}-16\n",
            encoding="utf-8",
        )

    written = 0
    for (number, code), count in zip(reviews, counts, strict=True):
        year = 2008 + (number - 1) // 3
        month = 1 + ((number - 1) % 3) * 4
        lines = [
            f"state: {code}",
            f"date: {year}-{month:02d}-{rng.randint(5, 16):02d}",
            "documents:",
            "  - type: national-report",
            f"    symbol: A/HRC/WG.6/{number}/{code}/1",
            "recommendations:",
        ]
        paragraph = rng.randint(90, 160)
        others = [c for c in (members if states else codes) if c != code]
        for i in range(1, count + 1):
            by = rng.sample(others, 1 if rng.random() < 0.85 else rng.randint(2, 4))
            lines.append(f'  - id: "{paragraph}.{i}"')
            lines.append(f"    by: [{', '.join(by)}]")
            lines.append("    text:")
            lines.append(f"      en: {q(sentence(rng))}")
            if rng.random() < 0.1:
                lines.append(f"      fr: {q(rng.choice(FR) + '.')}")
                lines.append(f"      es: {q(rng.choice(ES) + '.')}")
            lines.append(f"    themes: [{', '.join(rng.sample(themes, rng.randint(1, 3)))}]")
            lines.append(f"    response: {rng.choice(RESPONSES)}")
            lines.append(f"    action: {rng.randint(1, 5)}")
            if rng.random() < 0.3:
                lines.append(f"    sdgs: [{rng.randint(1, 17)}]")
            if rng.random() < 0.05:
                lines.append("    implementation:")
                lines.append(f"      - status: {rng.choice(STATUSES)}")
                lines.append(f"        date: {min(year + 2, 2025)}-06-30")
            written += 1
        (out / "sessions" / str(number) / f"{code}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {"recommendations": written, "reviews": len(reviews), "sessions": len(sessions), "states": len(codes)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recommendations", type=int, default=160_000)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--states", type=int, help="review only the first N Member States (denser content)")
    args = parser.parse_args(argv)
    figures = generate(args.recommendations, args.out, args.seed, args.states)
    print(
        f"wrote {figures['recommendations']:,} recommendations in {figures['reviews']:,} reviews, "
        f"{figures['sessions']} sessions, {figures['states']} States into {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
