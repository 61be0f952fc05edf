"""Names of the contract's enumerated values, as UI strings to translate.

The values themselves (`supported`, `eeg`, ...) are identifiers in content;
readers see these names, translated through the gettext catalogs. `N_` only
marks a string for `pybabel extract`; templates translate it at render time.
"""

from __future__ import annotations


def N_(message: str) -> str:
    return message


RESPONSES = {
    "supported": N_("Supported"),
    "noted": N_("Noted"),
    "partially-supported": N_("Partially supported"),
    "pending": N_("Pending"),
    "no-response": N_("No response"),
    "withdrawn": N_("Withdrawn"),
}

REGIONS = {
    "africa": N_("African States"),
    "asia-pacific": N_("Asia-Pacific States"),
    "eeg": N_("Eastern European States"),
    "grulac": N_("Latin American and Caribbean States"),
    "weog": N_("Western European and other States"),
    "none": N_("Observer States"),
}

ACTIONS = {
    1: N_("Minimal action"),
    2: N_("Continuing action"),
    3: N_("Considering action"),
    4: N_("General action"),
    5: N_("Specific action"),
}

DOCUMENT_TYPES = {
    "national-report": N_("National report"),
    "un-compilation": N_("Compilation of UN information"),
    "stakeholders-summary": N_("Summary of stakeholders' submissions"),
    "working-group-report": N_("Report of the Working Group"),
    "addendum": N_("Addendum"),
    "mid-term-report": N_("Mid-term report"),
}

STATUSES = {
    "not-implemented": N_("Not implemented"),
    "partially-implemented": N_("Partially implemented"),
    "fully-implemented": N_("Fully implemented"),
}

SDGS = {
    1: N_("No poverty"),
    2: N_("Zero hunger"),
    3: N_("Good health and well-being"),
    4: N_("Quality education"),
    5: N_("Gender equality"),
    6: N_("Clean water and sanitation"),
    7: N_("Affordable and clean energy"),
    8: N_("Decent work and economic growth"),
    9: N_("Industry, innovation and infrastructure"),
    10: N_("Reduced inequalities"),
    11: N_("Sustainable cities and communities"),
    12: N_("Responsible consumption and production"),
    13: N_("Climate action"),
    14: N_("Life below water"),
    15: N_("Life on land"),
    16: N_("Peace, justice and strong institutions"),
    17: N_("Partnerships for the goals"),
}

LANGUAGE_NAMES_IN_ENGLISH = {
    "en": N_("English"),
    "fr": N_("French"),
    "es": N_("Spanish"),
}
