"""The story cases (tests/cases/stories, from ../shared/cases/stories plus variants of the same
kinds) through the real pipeline: each run into a fresh database, compared with its right answer.

Issue 12: six reports alone became one story (a crowd of 0 in a small window); three days of
ministry figures became one; two earthquakes in two provinces became one; unrelated same-day
reports merged; follow-ups arriving in a later run opened a second story beside a frozen one.
"""

from __future__ import annotations

import pytest

from flows.cases import CaseResult, StoryCase, judge, load_cases, run_case
from flows.settings import Settings

# Known gaps, kept visible; strict: the day one passes, its mark must go.
KNOWN_GAPS = {
    # Cases a newcomer wrote (variants/probe-*) that dastan still gets wrong, each for a reason
    # of its own kind:
    "probe-n7-reaction": "the food and drug chief's statement on a bill («رئیس سازمان غذا و دارو: ...») "
                         "joins the bill's reports: a headline with a speaker against one without is "
                         "often one statement reported twice (rss2020_dev), so it is no veto",
    # a fifth newcomer's cases (variants/probe5-*), wrong at 2 of 10 when written, 6 now (c6 and
    # c7 since the window's own reports tell who holds which office: clustering.pairs.office_holders):
    "probe5-c5-flu-presser": "other officials on the same subject (an education deputy on schools, a "
                             "province's medical university on flu) join a press conference: a speaker "
                             "read in a lead is no headline's speaker",
    # c8, c9 and probe6-c5 follow stream2026_dev's rule 3 (another actor's statement is its own
    # event); the sample corpus labels a coach's verdict with its match (tasnim-0142) and a
    # housing chief's damage count with the quake (isna-0129), so no veto can serve both
    "probe5-c8-football": "a coach's press conference after the match joins the match: a statement made "
                          "at an event is read as the event",
    "probe5-c9-metro-opening": "the president's remark at a metro opening joins the opening, as c8",
    "probe5-c10-road-closures": "a road's reopening a day later joins its closure: the reports retell one "
                                "another and nothing reads opening against closing",
    # a sixth newcomer's cases (variants/probe6-*), wrong at 3 of 10 when written, 1 now:
    "probe6-c5-turkey-quake": "the spokesman's offer of help and the Red Crescent's aid flight join the quake "
                              "abroad they answer: a statement or an act about a happening is read as it, "
                              "as probe5-c8",
    # a ninth newcomer's cases of a day of several agencies (variants/probe8-*), wrong at 4 of 10
    # when written, 2 now:
    "probe8-c2-fuel-price": "the oil minister by name, the government spokesman by office and a fuel company "
                            "chief without a headline speaker, all on gasoline prices the same day, join: no "
                            "report tells the minister's office, and a name against an office cannot be told",
    "probe8-c7-fidan-visit": "a visitor's meetings with the foreign minister and the president join across: no "
                             "report tells that «عراقچی» is the minister or «پزشکیان» the president, so a name "
                             "against an office cannot be told",
    # a tenth newcomer's cases in the style of news sites (variants/probe9-*), wrong at 3 of 10 when
    # written (one of them, the roundup, by its answer: see cases.json), 2 now, both of probe8-c2's kind:
    "probe9-c3-water-officials": "the energy minister's statement and the water company chief's figures on "
                                 "Tehran's water the same day join: the chief is named only in his reports' leads, "
                                 "a source the fit weighs softly (source_apart), not a headline's speaker",
    "probe9-c9-internet-tariff": "the regulator's tariff rise and the minister's suspension of it join: the "
                                 "regulator's act names no speaker, and the minister's statement retells it",
    # an eleventh newcomer's day of three agencies in headlines only (variants/probe10-*), wrong at 5
    # of 10 when written, 3 now:
    "probe10-c3-bus-toll": "a minibus crash «در گردنه قلاجه» and the same crash «در محور ایلام» stay apart: "
                           "the gazetteer has no mountain passes, so nothing ties the pass to the road",
    "probe10-c4-tajik-visit": "the presidents' talks by names («پزشکیان و امامعلی رحمان»), by offices and by "
                              "capitals («تهران و دوشنبه», Dushanbe read as Monday) stay three stories: in "
                              "headlines alone nothing ties a name to its office",
    "probe10-c8-22bahman": "the president's speech at the march, by name in one headline and by office in the "
                           "other, is split, and its named half joins Tabriz's march: in headlines alone nothing "
                           "ties «پزشکیان» to «رئیس‌جمهور»",
}


@pytest.mark.slow
@pytest.mark.parametrize("case", load_cases(), ids=lambda c: c.name)
def test_story_case(case: StoryCase, request: pytest.FixtureRequest) -> None:
    if case.name in KNOWN_GAPS:
        request.applymarker(pytest.mark.xfail(reason=KNOWN_GAPS[case.name], strict=True))
    result = run_case(case, Settings())  # the defaults: no config file, no environment
    assert result.ok, "\n".join(result.problems)


def test_judge_names_what_is_wrong() -> None:
    case = StoryCase("t", ((),), (frozenset({"a", "b"}),), stable=("a",))
    stories = [{"story_id": "s1", "articles": ["a", "c"]}, {"story_id": "s2", "articles": ["b"]}]
    result = judge(case, stories, {"a": "s0"})
    assert not result.ok
    assert result.problems == ("one story joins 2 events: ['a'] + ['c']",
                               "one event split across 2 stories: ['a', 'b']",
                               "the story of a changed id: s0 -> s1")
    # an event whole inside a bigger story, and a story that is part of one event
    inside = judge(case, [{"story_id": "s1", "articles": ["a", "b", "c"]}], {})
    assert inside.problems == ("one story joins 2 events: ['a', 'b'] + ['c']",
                               "one event inside a story with others: ['a', 'b']")
    three = StoryCase("t", ((),), (frozenset({"a", "b", "c"}),))
    part = judge(three, [{"story_id": "s1", "articles": ["a", "b"]}, {"story_id": "s2", "articles": ["c"]}], {})
    assert part.problems == ("one story holds only part of an event: ['a', 'b']",
                             "one event split across 2 stories: ['a', 'b', 'c']")
    right = judge(case, [{"story_id": "s0", "articles": ["a", "b"]}, {"story_id": "s3", "articles": ["c"]}],
                  {"a": "s0"})
    assert right == CaseResult("t", (("a", "b"),), ())
