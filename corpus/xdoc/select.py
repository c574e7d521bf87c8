"""Copy the candidate articles of the cross-document gold set from the shared corpora.

    python corpus/xdoc/select.py [--shared /work/shared/corpus]

Writes ``corpus/xdoc/articles.jsonl`` (one article per line, with its ``origin``: the
source file and line) and ``corpus/xdoc/candidates.jsonl`` (the annotators' worklist:
one candidate real-world event per line, with the articles thought to report it). The
candidates were chosen by searching the Reuters 2006-2013 collection for follow-up
stories on the same arrests, releases and announcements (names with custody words,
then reading the sentences), and AG News for 2004 follow-ups; see corpus/xdoc/README.md.
Whether an article really reports the event, and which other candidate events it
reports, is the annotators' call.
"""

from __future__ import annotations

import argparse
import gzip
import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_SHARED = Path("/work/shared/corpus")
REUTERS = "reuters_financial_2006_2013/reuters_financial_2006_2013.jsonl.gz"
AG_NEWS = "ag_news_test/ag_news_test.jsonl"
_R = "reutersfin-"

#: (candidate id, type, description, articles). An article is named by a unique beginning of its id;
#: Reuters ids without their common prefix.
CANDIDATES: list[tuple[str, str, str, list[str]]] = [
    (
        "madoff-arrest",
        "arrest",
        "Federal agents arrest Bernard Madoff in New York (2008-12-11)",
        [
            "20081211-us-madoff-arrest-idUSTRE4BA7IK20081211",
            "20081213-us-madoff-sb-idUSTRE4BC1WJ20081213",
            "20081216-us-madoff-idUSLF62253520081216",
            "20090105-us-madoff-bail-idUSTRE5044AN20090105",
        ],
    ),
    (
        "madoff-bail",
        "release",
        "Madoff released on a $10 million bond after his arrest (2008-12-11)",
        [
            "20081211-us-madoff-arrest-idUSTRE4BA7IK20081211",
            "20081213-us-madoff-sb-idUSTRE4BC1WJ20081213",
            "20081230-us-madoff-trustee-transfer-sb-idUSTRE4BS51520081230",
            "20090130-us-madoff-security-idUSTRE50T4EF20090130",
        ],
    ),
    (
        "madoff-house-arrest",
        "arrest",
        "Madoff placed under house arrest (2008-12-17)",
        [
            "20081218-us-madoff-idUSLF62253520081218",
            "20081224-us-madoff-idUSN2354355520081224",
            "20090107-us-madoff-lawyer-sb-idUSTRE5067G920090107",
            "20090130-us-madoff-security-idUSTRE50T4EF20090130",
        ],
    ),
    (
        "madoff-jailed",
        "arrest",
        "Madoff jailed after pleading guilty (2009-03-12)",
        [
            "20090312-us-madoff-text-sb-idUSTRE52B6C520090312",
            "20090313-us-madoff-massachusetts-interview-sb-idUSTRE52C1NE20090313",
            "20090316-us-madoff-ruth-idUSTRE52F03C20090316",
            "20090320-us-madoff-bail-idUSTRE52J43F20090320",
        ],
    ),
    (
        "rajaratnam-arrest",
        "arrest",
        "Raj Rajaratnam arrested at his New York apartment (2009-10-16)",
        [
            "20091017-us-hedgefunds-insidertrading-idUSTRE59F35L20091017",
            "20091021-us-hedgefunds-galleon-sb-idUSTRE59K3DF20091021",
            "20091112-us-galleon-khan-idUSTRE5AB4MK20091112",
        ],
    ),
    (
        "rajaratnam-bail",
        "release",
        "Rajaratnam released on a $100 million bond (2009-10-16)",
        [
            "20091017-us-hedgefunds-insidertrading-idUSTRE59F35L20091017",
            "20091021-us-hedgefunds-galleon-sb-idUSTRE59K3DF20091021",
            "20091105-us-galleon-arrests-idUSTRE5A42XF20091105",
        ],
    ),
    (
        "kumar-arrest",
        "arrest",
        "Anil Kumar arrested in the Galleon case (2009-10-16)",
        [
            "20091019-us-mckinsey-insider-trading-analysis-sb-idUSTRE59I",
            "20100107-us-galleon-kumar-idUSTRE6064KJ20100107",
        ],
    ),
    (
        "galleon-second-wave",
        "arrest",
        "Zvi Goffer and others arrested in the second Galleon sweep (2009-11-05)",
        ["20091105-us-galleon-arrests-idUSTRE5A42XF20091105", "20091106-us-galleon-arrests-idUSTRE5A42XF20091106"],
    ),
    (
        "kerviel-custody",
        "arrest",
        "Jerome Kerviel taken into police custody in Paris (2008-01-26)",
        [
            "20080126-us-socgen-trader-legal-idUSL2670181820080126",
            "20080127-us-socgen-idUSL2422020620080127",
            "20080127-us-socgen-stake-idUSWEB320120080127",
            "20080131-us-socgen-events-timeline-idUSL3185780620080131",
        ],
    ),
    (
        "kerviel-freed",
        "release",
        "Kerviel released under judicial supervision (2008-01-28)",
        ["20080128-us-socgen-traders-idUSHKG8984420080128", "20080131-us-socgen-events-timeline-idUSL3185780620080131"],
    ),
    (
        "stanford-surrender",
        "arrest",
        "Allen Stanford surrenders to FBI agents in Virginia (2009-06-18)",
        [
            "20090619-us-stanford-arrest-idUSTRE55I05R20090619",
            "20090619-us-stanford-legal-analysis-sb-idUSTRE55I5XD20090619",
            "20090625-us-stanford-medication-sb-idUSTRE55O3TX20090625",
            "20090827-us-stanford-timeline-sb-idUSTRE57Q4QT20090827",
        ],
    ),
    (
        "stanford-no-bail",
        "release",
        "Stanford ordered held without bail (2009-06/07)",
        [
            "20090703-us-stanford-willis-idUSTRE5624SE20090703",
            "20090705-us-stanford-miami-idUSTRE5641LY20090705",
            "20090619-us-stanford-arrest-idUSTRE55I05R20090619",
        ],
    ),
    (
        "pendergest-arrest",
        "arrest",
        "FBI arrests Laura Pendergest-Holt (2009-02-26)",
        [
            "20090227-us-stanford-antigua-sb-idUSTRE51Q3NH20090227",
            "20090227-us-stanford-idUSTRE51Q66G20090227",
            "20090827-us-stanford-timeline-sb-idUSTRE57Q4QT20090827",
        ],
    ),
    (
        "pendergest-bail",
        "release",
        "Pendergest-Holt walks free on a $300,000 bond (2009-02-27)",
        [
            "20090227-us-stanford-idUSTRE51Q66G20090227",
            "20090301-businesspro-us-stanford-davis-idUSTRE5202OM20090301",
            "20090302-us-stanford-davis-idUSTRE5202OM20090302",
        ],
    ),
    (
        "strauss-kahn-arrest",
        "arrest",
        "Dominique Strauss-Kahn arrested in New York (2011-05-14)",
        [
            "20110516-us-ecb-nowotny-imf-idUSTRE74F1OX20110516",
            "20110607-us-india-lagarde-idUSTRE7562AO20110607",
            "20110612-us-imf-egypt-idUSTRE75B0XA20110612",
            "20110701-us-strausskahn-credibility-idUSTRE7606FS20110701",
        ],
    ),
    (
        "strauss-kahn-freed",
        "release",
        "Strauss-Kahn released from house arrest (2011-07-01)",
        [
            "20110701-us-strausskahn-credibility-idUSTRE7606FS20110701",
            "20110705-us-strausskahn-trials-timeline-idUSTRE76443I20110705",
        ],
    ),
    (
        "stern-hu-detained",
        "arrest",
        "Rio Tinto's Stern Hu and three colleagues detained in Shanghai (2009-07-05)",
        [
            "20090710-uk-australia-china-security-sb-idUSTRE5690MC20090710",
            "20090712-us-china-australia-smith-idUSTRE56B08M20090712",
            "20090713-us-china-australia-rudd-sb-idUSTRE56C0X820090713",
        ],
    ),
    (
        "stern-hu-formal-arrest",
        "arrest",
        "Stern Hu and the three formally arrested (2009-08)",
        ["20100210-us-china-rio-qanda-idUSTRE6192SC20100210", "20100214-us-australia-china-bhp-idUSTRE61D0JH20100214"],
    ),
    (
        "aleynikov-arrest",
        "arrest",
        "Sergey Aleynikov arrested at Newark airport (2009-07-03)",
        [
            "20090708-us-goldman-platform-idUSTRE56663T20090708",
            "20101210-us-goldmansachs-programmer-idUSTRE6B94HD20101210",
        ],
    ),
    (
        "coulson-arrest",
        "arrest",
        "Andy Coulson arrested in the phone-hacking inquiry (2011-07-08)",
        [
            "20110708-us-newscorp-hacking-cameron-idUSTRE76725I20110708",
            "20110709-us-newscorp-hacking-murdoch-idUSTRE76829K20110709",
            "20110715-us-newscorp-hacking-events-idUSTRE76D3NP20110715",
            "20110725-us-newscorp-guide-idUSTRE76K37420110725",
        ],
    ),
    (
        "brooks-arrest",
        "arrest",
        "Rebekah Brooks arrested (2011-07-17)",
        [
            "20110717-us-brooks-hearing-idUSTRE76G1AX20110717",
            "20110717-us-newscorp-brooks-profile-idUSTRE76G0ZU20110717",
            "20110718-us-corp-shares-idUSTRE76H04120110718",
            "20110725-us-newscorp-guide-idUSTRE76K37420110725",
        ],
    ),
    (
        "kwok-arrest",
        "arrest",
        "Thomas and Raymond Kwok arrested by Hong Kong's ICAC (2012-03-29)",
        [
            "20120403-us-sunhungkai-idUSBRE83205B20120403",
            "20120527-us-sunhungkai-investors-idUSBRE84Q0E920120527",
            "20120528-us-sunhungkai-investors-idUSBRE84R09T20120528",
        ],
    ),
    (
        "walter-kwok-arrest",
        "arrest",
        "Walter Kwok arrested (2012-05)",
        [
            "20120527-us-sunhungkai-investors-idUSBRE84Q0E920120527",
            "20120528-us-sunhungkai-investors-idUSBRE84R09T20120528",
        ],
    ),
    (
        "thomas-chan-arrest",
        "arrest",
        "Sun Hung Kai director Thomas Chan arrested (2012-03)",
        [
            "20120320-us-shkp-bribery-idUSBRE82J03220120320",
            "20120403-us-sunhungkai-idUSBRE83205B20120403",
            "20120527-us-sunhungkai-investors-idUSBRE84Q0E920120527",
        ],
    ),
    (
        "hayes-arrest",
        "arrest",
        "Former UBS and Citigroup trader Thomas Hayes arrested in the Libor probe (2012-12-11)",
        [
            "20121211-us-libor-arrests-sfo-idUSBRE8BA0EV20121211",
            "20121219-us-ubs-libor-idUSBRE8BI00020121219",
            "20130617-us-libor-charges-hayes-idUSBRE95G18320130617",
        ],
    ),
    (
        "baumgertner-arrest",
        "arrest",
        "Uralkali CEO Vladislav Baumgertner detained in Minsk (2013-08-26)",
        [
            "20130904-us-russia-uralkali-belarus-idUSBRE9830MD20130904",
            "20131118-us-russia-uralkali-idUSBRE9AH0LM20131118",
        ],
    ),
    (
        "wasendorf-arrest",
        "arrest",
        "FBI arrests Peregrine's Russell Wasendorf (2012-07-13)",
        [
            "20120716-us-wallst-scandals-confidence-idUSBRE86F02I20120716",
            "20120911-us-peregrine-financial-wasendorf-idUSBRE88A1DV20120911",
            "20130703-us-peregrine-bankruptcy-receiver-idUSBRE9621D620130703",
        ],
    ),
    (
        "khodorkovsky-arrest",
        "arrest",
        "Mikhail Khodorkovsky arrested (2003)",
        [
            "20110830-us-rosneft-exxon-idUSTRE77T2OM20110830",
            "20120413-us-exxon-rosneft-idUSBRE83C0SY20120413",
            "20120416-us-exxon-rosneft-idUSBRE83F0Z020120416",
        ],
    ),
    (
        "adoboli-arrest",
        "arrest",
        "UBS trader Kweku Adoboli arrested in London (2011-09-15)",
        [
            "20110916-us-ubs-father-idUSTRE78E5R120110916",
            "20120914-us-ubs-trial-idUSBRE88D00320120914",
            "20110926-us-ubs-idUSTRE78L7IB20110926",
        ],
    ),
    (
        "ubs-announcement",
        "announcement",
        "UBS announces it discovered unauthorized trading (2011-09-15)",
        ["20110919-us-ubs-text-idUSTRE78H1G520110919", "20120914-us-ubs-trial-idUSBRE88D00320120914"],
    ),
    (
        "golubkov-arrest",
        "arrest",
        "Rosbank's Golubkov detained in a bribery case (2013-05-15)",
        ["20130516-us-russia-socgen-idUSBRE94F07H20130516", "20130527-us-russia-socgen-rosbank-idUSBRE94Q05W20130527"],
    ),
    (
        "naseem-arrest",
        "arrest",
        "Hafiz Naseem arrested by the FBI (2007-05)",
        [
            "20071211-us-insidertrading-trial-idUSN1124724320071211",
            "20080204-us-insidertrading-trial-verdict-idUSN0460340320080204",
            "20080530-us-insidertrading-sentencing-idUSN3042597620080530",
        ],
    ),
    (
        "martoma-arrest",
        "arrest",
        "Mathew Martoma arrested in Boca Raton (2012-11-20)",
        [
            "20121120-us-usa-crime-insidertrading-sac-idUSBRE8AJ0Y020121120",
            "20121121-us-usa-crime-insidertrading-sac-idUSBRE8AJ0Y020121121",
        ],
    ),
    (
        "leeson-jailed",
        "arrest",
        "Nick Leeson jailed in Singapore (1995)",
        [
            "20080124-us-socgen-scandals-idUSL2446191020080124",
            "20080331-us-marubeni-fraud-lehman-factbox-idUSN3138175420080331",
        ],
    ),
    (
        "lee-kang-won-arrest",
        "arrest",
        "Prosecutors arrest former KEB chief Lee Kang-won (2006-11-06)",
        [
            "20061207-us-korea-lonestar-keb-chronology-idUSSEO28392220061207",
            "20070903-us-lonestar-keb-idUSSEO26503520070903",
        ],
    ),
    (
        "michigan-state-arrest",
        "arrest",
        "Two Michigan State receivers arrested on bomb-making charges (2004)",
        ["agnews-test-05457", "agnews-test-05510"],
    ),
    (
        "al-douri-arrest",
        "arrest",
        "Saddam Hussein's deputy Izzat Ibrahim al-Douri reported arrested (2004-09)",
        ["agnews-test-01206", "agnews-test-01208"],
    ),
    (
        "furcal-arrest",
        "arrest",
        "Atlanta police arrest Braves shortstop Rafael Furcal on a DUI charge (2004-09)",
        ["agnews-test-01489", "agnews-test-01494", "agnews-test-01519"],
    ),
    (
        "jenkins-surrender",
        "arrest",
        "US Army deserter Charles Jenkins to surrender at a US base in Japan (2004-09)",
        ["agnews-test-01520", "agnews-test-01522"],
    ),
    (
        "indian-hostages-freed",
        "release",
        "Iraqi kidnappers free three Indian truck drivers (2004-09)",
        ["agnews-test-00640", "agnews-test-01097"],
    ),
    (
        "stewart-prison",
        "arrest",
        "Martha Stewart allowed to start her prison term early (2004-09)",
        ["agnews-test-01805", "agnews-test-02189", "agnews-test-02772"],
    ),
]


def _full(article_id: str) -> str:
    return article_id if article_id.startswith("agnews-") else _R + article_id


def _read(path: Path) -> list[dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:  # type: ignore[operator]
        return [json.loads(line) for line in fh]


def main(argv: list[str] | None = None) -> int:
    """Write articles.jsonl and candidates.jsonl beside this script."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the shared corpora folder")
    args = parser.parse_args(argv)
    wanted = {_full(a) for _, _, _, ids in CANDIDATES for a in ids}
    matches: dict[str, list[str]] = {prefix: [] for prefix in wanted}
    found: dict[str, dict[str, Any]] = {}
    for name in (REUTERS, AG_NEWS):
        for lineno, record in enumerate(_read(args.shared / name), 1):
            hits = [prefix for prefix in wanted if record["id"].startswith(prefix)]
            if not hits:
                continue
            for prefix in hits:
                matches[prefix].append(record["id"])
            keep = {k: record.get(k) for k in ("id", "source", "url", "published", "title", "text")}
            keep["origin"] = f"{name}:{lineno}"
            found[record["id"]] = keep
    bad = sorted(prefix for prefix, ids in matches.items() if len(ids) != 1)
    if bad:
        raise SystemExit(f"not exactly one article in {args.shared} for: {', '.join(bad)}")
    resolved = {prefix: ids[0] for prefix, ids in matches.items()}
    with (HERE / "articles.jsonl").open("w", encoding="utf-8") as fh:
        for article_id in sorted(found):
            fh.write(json.dumps(found[article_id], ensure_ascii=False) + "\n")
    with (HERE / "candidates.jsonl").open("w", encoding="utf-8") as fh:
        for cid, event_type, description, ids in CANDIDATES:
            articles = [resolved[_full(a)] for a in ids]
            row = {"candidate": cid, "type": event_type, "description": description, "articles": articles}
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    several = sum(1 for *_, ids in CANDIDATES if len(ids) >= 2)
    print(f"{len(found)} articles, {len(CANDIDATES)} candidate events ({several} with two or more articles)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
