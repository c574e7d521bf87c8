"""Word lists used by the rules classifier, by lemma.

Kept as data, apart from the logic, so a reader can review what the rules know.
"""

from __future__ import annotations

# --- triggers ------------------------------------------------------------------------

#: Verbs that denote an arrest whatever their object; value = confidence.
ARREST_VERBS = {
    "arrest": 0.95,
    "detain": 0.95,
    "jail": 0.9,
    "imprison": 0.9,
    "incarcerate": 0.9,
    "rearrest": 0.9,
    "re-arrest": 0.9,
    "apprehend": 0.85,
    "nab": 0.8,
    "remand": 0.75,
    "intern": 0.6,
}
#: Verbs that are arrests only with a human object (and a state actor, when named).
ARREST_VERBS_HUMAN_OBJECT = {"capture": 0.8, "seize": 0.6, "abduct": 0.0, "round": 0.8, "lock": 0.75}
#: Verbs of moving someone that are arrests when they end in a custody place.
ARREST_VERBS_TO_CUSTODY = {
    "drag",
    "haul",
    "take",
    "send",
    "throw",
    "cart",
    "bundle",
    "march",
    "frogmarch",
    "whisk",
    "put",
}
ARREST_NOUNS = {
    "arrest": 0.9,
    "detention": 0.8,
    "imprisonment": 0.85,
    "incarceration": 0.85,
    "internment": 0.7,
    "detainment": 0.8,
    "capture": 0.6,
    "custody": 0.7,
}
#: Nouns that stop an arrest noun from being an event ("arrest warrant" is no arrest).
ARREST_NOUN_BLOCKERS = {
    "warrant",
    "centre",
    "center",
    "camp",
    "facility",
    "facilities",
    "battle",
    "dispute",
    "case",
    "hearing",
    "rate",
    "record",
    "order",
    "policy",
    "law",
    "power",
    "powers",
}
ARREST_NOUN_AMOD_BLOCKERS = {"cardiac", "respiratory", "heart", "financial", "parental", "joint", "shared", "sole", "unlawful", "false", "wrongful", "illegal"}  # fmt: skip

RELEASE_VERBS = {"release": 0.85, "free": 0.85, "liberate": 0.8, "parole": 0.9, "pardon": 0.7, "unshackle": 0.6}
RELEASE_NOUNS = {"release": 0.8, "liberation": 0.75, "freeing": 0.8}

ANNOUNCE_VERBS = {
    "announce": 0.95,
    "proclaim": 0.85,
    "unveil": 0.8,
    "declare": 0.8,
    "disclose": 0.6,
    "publish": 0.6,
}
ANNOUNCE_NOUNS = {
    "announcement": 0.95,
    "statement": 0.85,
    "communique": 0.85,
    "communiqué": 0.85,
    "proclamation": 0.8,
    "declaration": 0.65,
    "publication": 0.55,
}
#: Compound heads that form an announcement trigger with their modifier.
ANNOUNCE_COMPOUND_HEADS = {
    "conference": {"news", "press"},
    "briefing": {"news", "press", "media"},
    "release": {"press", "news"},
}
#: Adjectives that make "address"/"speech" a public statement.
PUBLIC_ADDRESS_AMODS = {"televised", "national", "nationwide", "radio", "inaugural", "broadcast", "live"}
#: Verbs of posting that announce when the medium is public.
POST_VERBS = {"post", "tweet", "write"}
STATEMENT_BLOCKERS = {"financial", "bank", "income", "cash", "mission", "fashion", "quarterly", "earnings", "account", "witness", "false", "misleading", "fraudulent", "inaccurate", "opening", "closing"}  # fmt: skip

# --- participants --------------------------------------------------------------------

#: Places of custody (as objects of "in", "into", "to", "from").
CUSTODY_PLACES = {
    "custody",
    "detention",
    "jail",
    "prison",
    "gaol",
    "captivity",
    "cell",
    "cells",
    "penitentiary",
    "lockup",
    "dungeon",
    "incommunicado",
    "bars",
    "jailhouse",
}
#: Words in a sentence that make a bare "release" or "freed" refer to people in custody.
CUSTODY_CONTEXT = CUSTODY_PLACES | {
    "prisoner",
    "detainee",
    "hostage",
    "captive",
    "inmate",
    "bail",
    "parole",
    "amnesty",
    "pardon",
    "arrest",
    "sentence",
    "kidnap",
    "kidnapper",
    "abduct",
    "convict",
    "jailed",
    "detain",
    "prisoners",
    "imprison",
}
HUMAN_NOUNS = {
    "prisoner", "detainee", "hostage", "captive", "inmate", "convict", "suspect", "fugitive",
    "activist", "journalist", "reporter", "dissident", "opponent", "critic", "protester",
    "protestor", "demonstrator", "student", "worker", "employee", "executive", "official",
    "politician", "leader", "lawmaker", "legislator", "minister", "president", "governor",
    "mayor", "senator", "candidate", "member", "supporter", "militant", "rebel", "insurgent",
    "fighter", "soldier", "sailor", "marine", "troop", "officer", "policeman", "guard",
    "man", "woman", "men", "women", "boy", "girl", "child", "children", "kid", "teenager",
    "youth", "people", "person", "persons", "individual", "citizen", "national", "resident",
    "villager", "farmer", "fisherman", "fishermen", "migrant", "refugee", "immigrant", "tourist",
    "foreigner", "passenger", "crew", "driver", "pilot", "doctor", "nurse", "lawyer", "judge",
    "businessman", "businessmen", "businesswoman", "banker", "trader", "manager", "director",
    "chairman", "founder", "owner", "ceo", "chief", "head", "boss", "cleric", "priest", "imam",
    "monk", "nun", "bishop", "blogger", "writer", "poet", "artist", "musician", "singer",
    "actor", "actress", "player", "athlete", "footballer", "cricketer", "father", "mother",
    "son", "daughter", "brother", "sister", "husband", "wife", "family", "relative", "friend",
    "colleague", "aide", "adviser", "advisor", "spokesman", "spokeswoman", "spokesperson",
    "engineer", "contractor", "missionary", "volunteer", "aid", "victim", "defendant",
    "accused", "gunman", "gunmen", "hijacker", "kidnapper", "smuggler", "trafficker", "dealer",
    "thief", "robber", "murderer", "killer", "bomber", "terrorist", "extremist", "spy",
    "agent", "hacker", "pirate", "gang", "mob", "crowd", "group", "dozen", "dozens",
    "hundreds", "thousands", "scores", "others", "anyone", "everyone", "someone",
    "mp", "mps", "deputy", "envoy", "diplomat", "ambassador", "campaigner", "unionist",
    "leftist", "islamist", "separatist", "nationalist", "opposition", "preacher",
    "commander", "general", "colonel", "captain", "sergeant", "warlord", "sheikh",
    "dr", "mr", "mrs", "ms", "client", "customer", "investor", "partner", "analyst", "economist", "scientist", "researcher", "academic", "professor", "teacher",
    "pupil", "pensioner", "veteran", "patient", "tenant", "squatter", "intruder", "visitor",
}  # fmt: skip
HUMAN_PRONOUNS = {"he", "him", "his", "she", "her", "hers", "they", "them", "their", "we", "us", "our", "i", "me", "my", "who", "whom", "whose", "you", "your", "himself", "herself", "themselves"}  # fmt: skip
#: Objects that make "release"/"free" a non-custody event (product, data, money ...).
NON_HUMAN_OBJECTS = {
    "statement", "report", "data", "figure", "figures", "result", "results", "earnings",
    "album", "film", "movie", "game", "product", "version", "software", "update", "detail",
    "details", "information", "fund", "funds", "money", "capital", "cash", "gas", "oil",
    "water", "pressure", "tension", "energy", "study", "survey", "video", "footage", "image",
    "images", "photo", "photos", "picture", "pictures", "list", "document", "documents",
    "record", "records", "book", "single", "song", "track", "trailer", "edition", "schedule",
    "forecast", "guidance", "estimate", "statistic", "statistics", "number", "numbers", "name",
    "names", "transcript", "letter", "memo", "plan", "proposal", "budget", "loan", "tranche",
    "aid", "payment", "share", "shares", "stock", "stake", "asset", "assets", "reserve",
    "reserves", "resource", "resources", "space", "time", "hand", "hands", "market", "economy",
    "trade", "price", "prices", "rate", "rates", "spirit", "mind", "chemical", "radiation",
    "hormone", "balloon", "dove", "bird", "fish", "animal", "dog", "whale", "turtle",
    "it", "its", "brake", "clutch", "grip", "hold", "lock", "tape", "seat",
}  # fmt: skip
#: Things captured that are not people ("captured 40% of the market").
NON_HUMAN_CAPTURE = NON_HUMAN_OBJECTS | {"%", "percent", "imagination", "attention", "heart", "hearts", "mood", "moment", "essence", "title", "crown", "medal", "seat", "seats", "vote", "votes", "city", "town", "village", "territory", "base", "airport", "port", "area", "region", "ground"}  # fmt: skip
#: Non-state actors: their "captures" and "seizures" are kidnappings, not arrests.
NON_STATE_AGENTS = {"rebel", "rebels", "militant", "militants", "gunman", "gunmen", "kidnapper", "kidnappers", "insurgent", "insurgents", "pirate", "pirates", "gang", "gangs", "terrorist", "terrorists", "bandit", "bandits", "abductor", "abductors", "hijacker", "hijackers", "taliban", "fighters", "fighter"}  # fmt: skip

# --- argument cues -------------------------------------------------------------------

MEDIUM_NOUNS = {
    "media", "medium", "television", "tv", "radio", "twitter", "facebook", "instagram", "x",
    "telegram", "website", "site", "blog", "broadcast", "channel", "newspaper", "interview",
    "statement", "conference", "briefing", "address", "speech", "post", "tweet", "video",
    "truth", "youtube", "tiktok", "account", "page", "communique", "release",
}  # fmt: skip
CRIME_PREPS = {"for", "over"}
CRIME_HEADS = {"charge", "charges", "suspicion", "accusation", "accusations", "allegation", "allegations"}

# --- modality cues -------------------------------------------------------------------

NEGATING_GOVERNORS = {"refuse", "decline", "fail", "deny", "reject", "avoid", "escape", "evade", "resist", "prevent", "stop", "halt", "block", "rule"}  # fmt: skip
PLANNING_GOVERNORS = {
    "plan", "intend", "expect", "promise", "agree", "decide", "pledge", "vow", "aim",
    "prepare", "schedule", "set", "due", "seek", "try", "threaten", "offer", "consider",
    "move", "vote", "order", "propose", "announce", "commit", "resolve",
    "mean", "hope",
}  # fmt: skip
PLANNING_AMODS = {"planned", "expected", "upcoming", "imminent", "future", "proposed", "scheduled", "promised", "impending", "pending", "anticipated", "forthcoming"}  # fmt: skip
DEMAND_GOVERNORS = {
    "call", "demand", "urge", "appeal", "campaign", "press", "push", "plead", "petition",
    "lobby", "fight", "ask", "request", "seek", "want", "wish", "pray", "hope", "insist",
    "negotiate", "work", "struggle", "secure", "win",
}  # fmt: skip
DEMAND_NOUNS = {"call", "calls", "demand", "demands", "appeal", "appeals", "campaign", "plea", "pleas", "petition", "request", "hope", "hopes", "push", "pressure", "bid", "efforts", "effort", "negotiations", "talks", "deal"}  # fmt: skip
FUTURE_AUX = {"will", "shall", "'ll", "wo"}
HEDGE_ADVERBS = {"reportedly", "allegedly", "apparently", "possibly", "probably", "perhaps", "likely", "supposedly", "purportedly", "seemingly", "presumably", "maybe", "unconfirmed"}  # fmt: skip
HEDGE_AMODS = {"alleged", "reported", "rumored", "rumoured", "possible", "suspected", "unconfirmed", "apparent", "purported", "supposed", "likely", "probable"}  # fmt: skip
HEDGE_NOUNS = {"rumor", "rumors", "rumour", "rumours", "information", "news", "word", "report", "reports", "speculation", "claim", "claims", "allegation", "allegations", "sign", "signs", "indication"}  # fmt: skip
HEDGE_GOVERNORS = {"believe", "think", "seem", "appear", "suspect", "rumor", "rumour", "claim", "allege", "suggest", "speculate", "fear", "understand"}  # fmt: skip
GENERIC_ADVERBS = {"often", "usually", "routinely", "regularly", "frequently", "typically", "always", "sometimes", "rarely", "generally", "commonly", "habitually", "systematically", "seldom", "whenever"}  # fmt: skip

# --- attribution ---------------------------------------------------------------------

ATTRIBUTION_VERBS = {
    "say", "tell", "report", "count", "record", "document", "confirm", "state", "claim",
    "announce", "add", "note", "write", "declare", "estimate", "tally", "list", "allege",
    "accuse", "insist", "explain", "warn", "reveal", "disclose", "acknowledge", "admit",
    "show", "indicate", "publish", "tweet", "post", "quote", "cite", "rule", "find", "conclude",
    "argue", "suggest", "complain", "fear", "believe", "think", "testify", "assert",
}  # fmt: skip
#: Verbs that mention an event without asserting it ("alluded to a major release").
ALLUSION_VERBS = {"allude", "hint", "refer", "point"}

#: Who arrests: the agents that make "held by", "surrendered to" custody.
AUTHORITIES = {
    "police", "authority", "authorities", "force", "forces", "army", "military", "government",
    "official", "officials", "officer", "officers", "agent", "agents", "troop", "troops", "soldier",
    "soldiers", "regime", "fbi", "prosecutor", "prosecutors", "court", "marshal", "marshals", "sheriff",
    "custom", "customs", "immigration", "guard", "guards", "ministry", "state", "security",
}  # fmt: skip
#: "released on bail / bond / parole": terms of a release from custody.
RELEASE_TERMS = {"bail", "bond", "parole", "probation", "license", "licence", "recognizance", "surety"}
#: Verbs that grant or refuse bail: "granted bail" is a release, "denied bail" a negated one.
BAIL_VERBS = {"grant", "deny", "refuse", "post", "set", "allow", "get", "win", "receive", "approve", "award", "free", "offer", "seek", "reject", "revoke"}  # fmt: skip
#: Verbs of being that make "free" a release ("remain free on bail", "walked free").
FREE_COPULAS = {"be", "remain", "stay", "go", "walk", "leave", "emerge", "come"}

#: Subordinators that make the event depend on a condition ("once", "if", "unless").
CONDITION_MARKS = {"if", "unless", "once", "provided", "providing", "assuming", "lest"}
#: Verbs and adjectives whose complement clause is hoped or demanded, not asserted.
HOPE_GOVERNORS = {"hope", "hopeful", "wish", "pray", "demand", "insist", "urge", "want", "prefer", "propose", "recommend", "suggest"}  # fmt: skip

#: Common nouns that are places of arrests, releases and announcements ("at his hotel").
PLACE_NOUNS = CUSTODY_PLACES | {
    "hotel", "home", "house", "apartment", "flat", "residence", "airport", "station", "border",
    "checkpoint", "embassy", "consulate", "office", "offices", "headquarters", "court", "courthouse",
    "camp", "base", "compound", "village", "town", "city", "square", "street", "parliament",
    "palace", "hospital", "port", "mosque", "church", "university", "campus", "stadium", "hideout",
    "safehouse", "factory", "plant", "mine", "farm", "ship", "vessel", "prisons", "jails", "building",
}  # fmt: skip

#: What a company "reports" when it announces results ("reported a first-half profit").
REPORTED_FIGURES = {"profit", "profits", "loss", "losses", "earnings", "revenue", "revenues", "sales", "result", "results", "income", "deficit", "surplus", "dividend"}  # fmt: skip
#: Documents an actor issues publicly: issuing one is an announcement.
ISSUED_NOUNS = {"warning", "decree", "ultimatum", "directive", "fatwa", "edict", "bulletin", "communique", "notice", "alert", "advisory", "proclamation", "guidance", "appeal"}  # fmt: skip
ISSUING_VERBS = {"issue", "publish", "release", "circulate", "post", "send"}
