"""Learning-theme phrase bank for the fictional review prose (TAXONOMY.md kind learning_theme).

Same shape as review_themes.THEME_TEXT (which merges it): heading, topic, event, analysis, learning.
Written for scr-themes.
"""

from __future__ import annotations

LEARNING_TEXT: dict[str, dict[str, tuple[str, ...] | str]] = {
    "information_sharing": {
        "heading": "Information sharing", "topic": "information sharing between agencies",
        "event": (
            "the police notification of the incident was sent to the wrong health visiting team",
            "{prof} asked the GP for information, but the request was not answered for six weeks",
            "the records from the previous local authority arrived after the case had been closed",
        ),
        "analysis": (
            "Important information about {partner} was held by the police and was not shared with children's social care.",
            "The GP was not told that {child} was subject to a child protection plan.",
            "Each agency held part of the picture, but no one had all of it.",
            "Practitioners were unsure whether they could share information without {mother}'s consent.",
            "Information was shared by email, and some of it was not read by the intended recipient.",
        ),
        "learning": (
            "Professionals should have shared information about the risk to {child} without waiting for consent, as the guidance allows.",
            "The review found that information sharing between adult and children's services was weak.",
            "There is learning about the transfer of records when a family moves between areas.",
            "Practitioners need to understand that data protection law is not a barrier to sharing information to safeguard a child.",
        ),
    },
    "multi_agency_working": {
        "heading": "Multi-agency working", "topic": "multi-agency working and coordination",
        "event": (
            "a strategy meeting was held, attended by the police, the health visitor and children's social care",
            "a core group meeting was cancelled because the school and the GP could not attend",
            "a professionals' meeting was convened to agree a shared plan for the family",
        ),
        "analysis": (
            "Agencies worked in silos, and there was no shared plan for {child}.",
            "It was never clear who the lead professional was, and so no one coordinated the support.",
            "The strategy meeting did not include the GP or the school, who knew the family best.",
            "Agencies were working with different parts of the family without knowing what the others were doing.",
        ),
        "learning": (
            "The review found that the multi-agency safeguarding arrangements did not bring the right people together at the right time.",
            "Professionals should have convened a multi-agency meeting when the concerns began to accumulate.",
            "There is learning about the role of the lead professional in early help.",
        ),
    },
    "risk_assessment": {
        "heading": "Assessment of risk", "topic": "the quality of risk assessment",
        "event": (
            "a child and family assessment was completed, concluding that the risks were low",
            "the assessment was updated, but it did not include the recent police information",
            "{prof} completed a risk assessment that identified the parents' drinking as a concern",
        ),
        "analysis": (
            "The assessment described the risks but did not analyse what they meant for {child}.",
            "The assessment was not updated when {partner} moved into the home, although this changed the level of risk.",
            "Risks were identified at the start but were not followed through in the plan.",
            "The assessment relied on a single visit and on what {mother} said.",
        ),
        "learning": (
            "Professionals should have revisited the assessment as the family's circumstances changed.",
            "The review found that assessments were descriptive rather than analytical.",
            "There is learning about the use of history in assessment, i.e. what has happened before helps to predict what may happen next.",
        ),
    },
    "thresholds_escalation": {
        "heading": "Thresholds and escalation", "topic": "thresholds and escalation",
        "event": (
            "the referral was assessed by the MASH as not meeting the threshold for a statutory assessment",
            "the health visitor disagreed with the decision but did not use the escalation procedure",
            "the case was stepped down to early help",
        ),
        "analysis": (
            "Several referrals were judged to be below the threshold, although together they showed a serious picture.",
            "Professionals disagreed with decisions but did not escalate their concerns.",
            "The step-down to early help took place without a plan that the family had agreed to.",
        ),
        "learning": (
            "Practitioners should use the escalation procedure when they do not agree with a decision about a child's safety.",
            "The review found that the threshold document was applied to each referral in isolation.",
            "There is learning about professional challenge and the confidence to disagree.",
        ),
    },
    "case_closure": {
        "heading": "Case closure and transitions", "topic": "case closure and transfer between services",
        "event": (
            "children's social care closed the case, recording that the family had engaged well",
            "the family's case was transferred to the health visiting team in the new area",
            "the early help plan ended after six weeks because {mother} no longer wanted support",
            "CAMHS closed {child}'s case after {he} did not attend two appointments",
        ),
        "analysis": (
            "The case was closed too soon, before the changes the family had made could be tested over time.",
            "The transfer between areas meant that the new team started again without the history.",
            "Support ended just as the family's circumstances were becoming more difficult.",
            "There was drift in the plan for several months while the case waited for allocation.",
        ),
        "learning": (
            "The review found that case closure decisions were not shared with the other agencies involved.",
            "Professionals should have checked that the improvements were sustained before closing the case.",
            "There is learning about the transition from children's to adult services for young people at risk.",
        ),
    },
    "professional_curiosity": {
        "heading": "Professional curiosity", "topic": "professional curiosity and challenge",
        "event": (
            "{mother} told {prof} that everything was fine, and the visit lasted less than ten minutes",
            "{mother} cancelled the visit, saying {child} was at a relative's house",
            "{prof} accepted {mother}'s explanation that the bruise had been caused by a fall",
        ),
        "analysis": (
            "Professionals accepted the parents' accounts at face value and did not check them with other agencies.",
            "There was a pattern of disguised compliance, with the family appearing to cooperate while little changed.",
            "Practitioners were over-optimistic about the family's capacity to change.",
            "Each new worker started again, and the history was lost.",
        ),
        "learning": (
            "Professionals should have been more curious about who was living in the home.",
            "The review found that practitioners did not triangulate what they were told with the information held by others.",
            "There is learning here about respectful uncertainty and the need to test what parents say.",
        ),
    },
    "voice_of_child": {
        "heading": "The voice of the child", "topic": "the voice and lived experience of children",
        "event": (
            "{child} was seen alone by the social worker for the first time",
            "{child} told a teacher that {he} did not want to go home",
            "{prof} visited but did not see {child}, who was said to be asleep upstairs",
        ),
        "analysis": (
            "{child} was rarely seen alone, and {his} views were not recorded in any assessment.",
            "What life was like for {child} day to day was not understood by any agency.",
            "{child} tried to tell adults what was happening, but {his} words were not acted upon.",
            "The focus of the work was on the adults, and {child} became lost in the process.",
        ),
        "learning": (
            "Professionals should have seen {child} alone and made {his} lived experience central to the plan.",
            "The review found that the voice of the child was missing from the records of every agency.",
            "There is learning about how to understand the daily life of a baby who cannot speak for {him}self.",
        ),
    },
    "supervision_workload": {
        "heading": "Supervision, workload and management oversight", "topic": "supervision and management oversight",
        "event": (
            "the social worker's caseload rose to 32 children after two colleagues left",
            "the case was discussed in supervision, and the action was to visit within two weeks",
            "a new team manager started, the third in a year",
        ),
        "analysis": (
            "Supervision focused on tasks rather than on reflection about the risks to {child}.",
            "High caseloads and staff turnover meant that the family had five social workers in a year.",
            "There was little management oversight of the decision to close the case.",
        ),
        "learning": (
            "The review found that reflective supervision was not available to health visitors at the time.",
            "Managers should have challenged the drift in the plan.",
            "There is learning about the effect of workload on the quality of practice.",
        ),
    },
    "feedback_to_referrers": {
        "heading": "Feedback to referrers", "topic": "feedback to referring agencies",
        "event": (
            "the school made a referral to the MASH but was not told what happened to it",
            "{prof} rang the MASH to ask about the outcome of the referral and was told the case had been closed",
        ),
        "analysis": (
            "Referrers were not told the outcome of their referrals, and so they assumed someone else was acting.",
            "The school did not know that the case had been closed and continued to wait for contact from a social worker.",
        ),
        "learning": (
            "The review found that the MASH did not routinely give feedback to referring agencies.",
            "Professionals should follow up a referral when they have not been told the outcome.",
        ),
    },
    "recording_systems": {
        "heading": "Records and systems", "topic": "record keeping and case management systems",
        "event": (
            "the GP practice moved to a new electronic record system and the safeguarding alert was lost",
            "the visit was recorded four weeks after it took place",
        ),
        "analysis": (
            "Important information was recorded in free text and could not be found by other staff.",
            "The health records for {child} and {mother} were not linked, so concerns recorded in one did not appear in the other.",
            "The chronology in the social care record was incomplete and out of date.",
        ),
        "learning": (
            "The review found that the case management system did not flag previous referrals.",
            "Practitioners should record their analysis as well as what they observed.",
        ),
    },
    "training_guidance": {
        "heading": "Training and guidance", "topic": "awareness of procedures and guidance",
        "event": (
            "the health visitor attended safeguarding training on domestic abuse",
            "the partnership issued new guidance on bruising in babies",
        ),
        "analysis": (
            "Practitioners were not aware of the local protocol and so did not follow it.",
            "The guidance on safer sleep was not known to staff outside health services.",
            "Training on neglect had not been refreshed for several years.",
        ),
        "learning": (
            "The review found that the partnership's procedures were not well known by practitioners in universal services.",
            "Agencies should ensure that their staff receive training on the local guidance.",
        ),
    },
    "service_access": {
        "heading": "Access to services", "topic": "access to services for children and families",
        "event": (
            "{child} was placed on the CAMHS waiting list, with an expected wait of nine months",
            "the referral to the parenting programme was declined because the course was full",
            "{mother} was told that there was no counselling available for her in the area",
        ),
        "analysis": (
            "{child} waited too long for mental health support, and {his} difficulties grew while {he} waited.",
            "The services the family needed were either not available or had long waiting lists.",
            "Support was offered only during office hours, when {mother} was at work.",
        ),
        "learning": (
            "The review found that there was no interim support for young people on the CAMHS waiting list.",
            "The partnership should understand the effect of waiting times on children's safety.",
        ),
    },
}
