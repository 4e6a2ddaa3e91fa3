"""Words of cloud operations: how reasons and roles are cut into comparable terms.

Text is lower-cased, a few multi-word names are joined ("key vault" -> "keyvault"),
split into words, stripped of filler words and stemmed with the Snowball English stemmer,
so "logging" and "logs" meet at "log". :data:`RELATED` groups words that people use for
the same thing ("spend" for "cost", "box" for "instance"): a reason's word also matches,
with less weight, the other words of its group. The groups describe cloud operations in
general, not any one catalogue.
"""

import re
from functools import cache

import snowballstemmer  # type: ignore[import-untyped]

# TODO(advisor): reasons are read as English only (stemmer, filler and related words).
_STEMMER = snowballstemmer.stemmer("english")


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Multi-word names joined into one term before splitting.
_PHRASES = (
    (re.compile(r"\bgoogle kubernetes engine\b"), "gke"),
    (re.compile(r"\bcloud ?sql\b"), "cloudsql"),
    (re.compile(r"\bkey ?vault\b"), "keyvault"),
    (re.compile(r"\bbig ?query\b"), "bigquery"),
    (re.compile(r"\bcloud ?watch\b"), "cloudwatch"),
    (re.compile(r"\bport[- ]?forward(?:ing)?\b"), "portforward"),
    (re.compile(r"\bbreak[- ]?(?:the[- ])?glass\b"), "breakglass"),
    (re.compile(r"\broll(?:ing)?[- ]?back\b"), "rollback"),
    (re.compile(r"\bpull[- ]requests?\b"), "pr"),
    (re.compile(r"\baccess[- ]keys?\b"), "accesskey"),
    (re.compile(r"\bapi[- ]keys?\b"), "apikey"),
    (re.compile(r"\bconnection[- ]strings?\b"), "secret"),
)

#: Filler words, and words every request shares ("access", "need", "role").
_STOPWORDS = _wordset(
    """a about after again all also am an and any are as at be been before being but by
    can could did do does doing for from had has have having he her here his how i if in
    into is it its itself just me more most my no nor not of off on once only or other our
    out over own please same she should so some such than that the their them then there
    these they this those through to too under until up very was we were what when where
    which while who whom why will with would you your yours need needs needed want wants
    wanted like get got going go gonna let lets access role roles permission rights right
    now asap today quick quickly some thing things stuff someone something see"""
)

#: Words people use for the same thing in cloud operations, one group per line.
RELATED_WORDS = (
    "cost costs spend spending spent charge charges bill billing invoice invoices budget "
    "budgets expense expenses finance usage",
    "instance instances vm vms server servers host hosts machine machines node nodes fleet "
    "box boxes ec2 compute",
    "database databases db dbs rds postgres postgresql mysql aurora sql cloudsql",
    "log logs logging grep tail",
    "metric metrics graph graphs dashboard dashboards cpu memory latency monitoring",
    "s3 bucket buckets object objects file files blob pdf pdfs asset assets",
    "secret secrets password passwords keyvault vault apikey",
    "iam accesskey credential credentials policy policies mfa",
    "kubernetes k8s kubectl pod pods namespace namespaces deployment deployments container "
    "containers workload workloads",
    "lambda function functions serverless",
    "repository repositories repo repos pr prs merge branch branches release releases github",
    "organization organisation org member members membership team teams employee contractor "
    "hire invite offboard onboard",
    "query queries analytics dataset datasets table tables",
    "restart reboot bounce recycle",
    "start stop shutdown power",
    "resize scale size type class bump upsize downsize",
    "deploy push publish ship rollout rollback version versions alias build code",
    "restore backup backups snapshot snapshots recover",
    "delete remove purge",
    "exec shell ssh terminal attach portforward",
    "download export fetch copy",
    "upload put write overwrite",
    "emergency emergencies breakglass outage broken down compromised",
    "gcp google gke",
    "azure microsoft",
    "prod production live",
    "staging stage",
    "dev development",
)

#: Words that say where (which environment, account or data) rather than what to do.
SCOPE_WORDS = _wordset(
    """prod production live staging stage dev development test account accounts
    project projects environment env data service services app application"""
)


def stem(word: str) -> str:
    """Return the Snowball stem of one lower-case word."""
    return str(_STEMMER.stemWord(word))


def words(text: str) -> list[str]:
    """Split ``text`` into lower-case words, multi-word names joined."""
    lowered = text.lower()
    for pattern, joined in _PHRASES:
        lowered = pattern.sub(joined, lowered)
    return re.findall(r"[a-z][a-z0-9]*|[0-9]+[a-z][a-z0-9]*", lowered)


def terms(text: str) -> list[str]:
    """Return the stems of ``text``'s meaningful words, in order, without repeats."""
    stems = (stem(w) for w in words(text) if len(w) > 1 and w not in _STOPWORDS)
    return list(dict.fromkeys(stems))


def split_identifier(text: str) -> str:
    """Split names like ``GetMetricData`` or ``AmazonS3ReadOnlyAccess`` into words."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", text)


@cache
def related(term: str) -> frozenset[str]:
    """Return the stems people use for the same thing as ``term`` (itself excluded)."""
    found: set[str] = set()
    for group in _RELATED_STEMS:
        if term in group:
            found |= group
    found.discard(term)
    return frozenset(found)


@cache
def scope_terms() -> frozenset[str]:
    """Return the stems of :data:`SCOPE_WORDS`."""
    return frozenset(stem(w) for w in SCOPE_WORDS)


_RELATED_STEMS = tuple(frozenset(stem(w) for w in line.split()) for line in RELATED_WORDS)
