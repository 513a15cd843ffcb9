"""A generator of case reports for the benchmarks: real-shaped, varied, reproducible, none of them real.

    python benchmarks/corpus.py --reports 1500 --out /tmp/corpus [--seed 7]

Each report is written from sentence templates of this file and a table of twelve cancers (their
primary sites, the sites they spread to, the markers pathology reports for them, the drugs and
operations used), with one to three patients, ages, sexes, years, doses and fractions drawn from a
seeded random generator: the same arguments give the same files. Nothing is copied from any real
document; the texts are only as realistic as the benchmarks need (the extractor reads them as it
reads a short case report: the facts, their polarity, their dates).
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Cancer:
    name: str
    primaries: tuple[str, ...]
    spread: tuple[str, ...]
    positive: tuple[str, ...]
    negative: tuple[str, ...]
    drugs: tuple[str, ...]
    operations: tuple[str, ...]


CANCERS = (
    Cancer("gastrointestinal stromal tumor", ("stomach", "small intestine", "rectum"),
           ("liver", "peritoneum", "lumbar spine", "lung"), ("CD117", "DOG1", "CD34"), ("desmin", "S-100"),
           ("imatinib", "sunitinib", "regorafenib"), ("partial gastrectomy", "segmental resection")),
    Cancer("melanoma", ("skin of the back", "scalp", "skin of the leg"), ("brain", "lung", "liver", "adrenal gland"),
           ("S-100", "HMB-45", "SOX10"), ("cytokeratin",), ("pembrolizumab", "nivolumab", "dabrafenib"),
           ("wide local excision",)),
    Cancer("breast carcinoma", ("breast",), ("bone", "liver", "brain", "thoracic spine"),
           ("estrogen receptor", "HER2"), ("progesterone receptor",), ("trastuzumab", "tamoxifen", "letrozole"),
           ("mastectomy", "lumpectomy")),
    Cancer("lung adenocarcinoma", ("right upper lobe of the lung", "left lower lobe of the lung"),
           ("brain", "bone", "adrenal gland", "liver"), ("TTF-1", "napsin A", "EGFR"), ("p40",),
           ("osimertinib", "carboplatin", "pemetrexed"), ("lobectomy",)),
    Cancer("colorectal adenocarcinoma", ("sigmoid colon", "rectum", "ascending colon"), ("liver", "lung", "peritoneum"),
           ("CK20", "CDX2"), ("CK7",), ("oxaliplatin", "capecitabine", "bevacizumab"),
           ("sigmoid colectomy", "right hemicolectomy")),
    Cancer("renal cell carcinoma", ("kidney",), ("lung", "bone", "pancreas", "thyroid gland"),
           ("PAX8", "CD10"), ("CK7",), ("sunitinib", "pazopanib", "nivolumab"), ("radical nephrectomy",)),
    Cancer("prostate adenocarcinoma", ("prostate gland",), ("bone", "lumbar spine", "pelvis", "liver"),
           ("PSA", "NKX3.1"), ("CK20",), ("enzalutamide", "docetaxel", "abiraterone"), ("radical prostatectomy",)),
    Cancer("hepatocellular carcinoma", ("liver",), ("lung", "bone", "adrenal gland"), ("HepPar-1", "glypican-3"),
           ("CK7",), ("sorafenib", "lenvatinib"), ("hepatectomy",)),
    Cancer("ovarian serous carcinoma", ("ovary",), ("peritoneum", "omentum", "liver"), ("PAX8", "WT1"),
           ("calretinin",), ("olaparib", "carboplatin", "paclitaxel"), ("total abdominal hysterectomy",)),
    Cancer("pancreatic ductal adenocarcinoma", ("head of the pancreas", "tail of the pancreas"),
           ("liver", "peritoneum", "lung"), ("CK7", "CK19"), ("synaptophysin",), ("gemcitabine", "nab-paclitaxel"),
           ("pancreaticoduodenectomy",)),
    Cancer("thyroid papillary carcinoma", ("thyroid gland",), ("lung", "bone", "cervical lymph node"),
           ("thyroglobulin", "TTF-1"), ("calcitonin",), ("lenvatinib", "sorafenib"), ("total thyroidectomy",)),
    Cancer("leiomyosarcoma", ("uterus", "retroperitoneum"), ("lung", "liver", "bone"),
           ("desmin", "smooth muscle actin"), ("CD117", "S-100"), ("doxorubicin", "trabectedin", "pazopanib"),
           ("hysterectomy", "en bloc resection")),
)

_TITLES = (
    "{cancer} of the {primary} with {site} metastases: a case report",
    "Late {site} metastasis of {cancer}: report of {n} cases",
    "{drug} for metastatic {cancer}: a case report and review",
)
_SYMPTOMS = ("abdominal pain", "back pain", "weight loss", "a palpable mass", "fatigue", "cough", "headache")


def _sentences(rng: random.Random, cancer: Cancer, case: int, many: bool) -> Iterator[str]:
    age, sex = rng.randint(28, 86), rng.choice(("man", "woman"))
    pronoun = "He" if sex == "man" else "She"
    year = rng.randint(1998, 2019)
    primary = rng.choice(cancer.primaries)
    if many:
        yield f"Case {case}"
    yield f"A {age}-year-old {sex} presented with {rng.choice(_SYMPTOMS)} in {year}."
    yield f"Computed tomography showed a {rng.randint(2, 14)} cm mass in the {primary}."
    yield f"{pronoun} underwent {rng.choice(cancer.operations)} in {year}."
    yield f"Histology confirmed {cancer.name} of the {primary}."
    pos = rng.sample(cancer.positive, k=min(len(cancer.positive), rng.randint(1, 3)))
    neg = rng.sample(cancer.negative, k=1)
    yield f"Immunohistochemistry was positive for {' and '.join(pos)} and negative for {neg[0]}."
    drug = rng.choice(cancer.drugs)
    yield f"Adjuvant {drug} was started at {rng.choice((50, 100, 150, 400))} mg daily."
    later = year + rng.randint(1, 6)
    sites = rng.sample(cancer.spread, k=rng.randint(1, min(3, len(cancer.spread))))
    yield f"In {later}, imaging revealed metastases in the {' and the '.join(sites)}."
    if rng.random() < 0.5:
        yield (f"Radiotherapy of {rng.choice((20, 30, 36, 45))} Gy in {rng.choice((5, 10, 12, 15))} fractions "
               f"was delivered to the {sites[0]}.")
    if rng.random() < 0.4:
        other = rng.choice([d for d in cancer.drugs if d != drug] or [drug])
        yield f"{drug.capitalize()} was switched to {other} because of progression."
    if rng.random() < 0.3:
        absent = rng.choice([s for s in ("brain", "lung", "liver", "bone") if s not in sites] or ["brain"])
        yield f"There was no evidence of metastasis in the {absent}."
    end = later + rng.randint(0, 4)
    yield (f"{pronoun} died of the disease in {end}." if rng.random() < 0.4
           else f"{pronoun} was alive without new lesions in {end}.")


def report(rng: random.Random, number: int) -> tuple[str, str]:
    """One report: its file name and its text."""
    cancer = rng.choice(CANCERS)
    n = rng.choice((1, 1, 1, 2, 3))
    title = rng.choice(_TITLES).format(cancer=cancer.name, primary=rng.choice(cancer.primaries),
                                        site=rng.choice(cancer.spread), drug=rng.choice(cancer.drugs), n=n)
    parts = [title[0].upper() + title[1:], "",
             f"We report {'a patient' if n == 1 else f'{n} patients'} with {cancer.name}.", ""]
    for case in range(1, n + 1):
        parts.append(" ".join(_sentences(rng, cancer, case, n > 1)))
        parts.append("")
    return f"synthetic_{number:06d}.txt", "\n".join(parts)


def generate(reports: int, seed: int = 7) -> Iterator[tuple[str, str]]:
    """``reports`` reports, the same for the same ``seed``."""
    rng = random.Random(seed)
    for i in range(reports):
        yield report(rng, i)


def write(folder: Path, reports: int, seed: int = 7) -> int:
    """Write the reports into ``folder``; the bytes written."""
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for name, text in generate(reports, seed):
        total += (folder / name).write_text(text, encoding="utf-8")
    return total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reports", type=int, default=600)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    size = write(args.out, args.reports, args.seed)
    print(f"{args.reports} reports, {size / 1e6:.1f} MB, in {args.out}")


if __name__ == "__main__":
    main()
