"""Phrase bank for the fictional review prose (tests/helpers/review_text.py). All written for scr-themes.

Templates are str.format strings. Slots filled by the writer: {child} ("Child M"), {he}/{his}/{him}
(the child's pronouns, capitalised forms {He}/{His}), {mother}, {father}, {partner}, {sibling},
{prof} / {prof2} (a professional), {agency}, {date}, {month}, {time}, {doctor}, {para}, {n}, {school},
{area}. Every string is latin-1 and ends a sentence with a full stop.

THEME_TEXT maps each TAXONOMY.md label to: "event" (chronology events, written after "On {date}"),
"analysis" (present mentions), "negated" (denied mentions; risk factors only) and "learning".
"""

from __future__ import annotations

PROFESSIONALS = (
    "the health visitor", "the GP", "the social worker", "the midwife", "the school nurse",
    "a police officer", "the family support worker", "the CAMHS practitioner", "the housing officer",
    "the designated safeguarding lead", "the paediatrician", "the early help worker",
    "the practice nurse", "the youth worker", "the team manager", "the independent domestic violence adviser",
    "the substance misuse worker", "the perinatal mental health nurse", "the class teacher",
    "the special educational needs coordinator", "the duty social worker", "the out of hours GP",
)
AGENCIES = (
    "children's social care", "the health visiting service", "the GP practice", "the school",
    "the police", "CAMHS", "the housing department", "the maternity service", "adult mental health services",
    "the drug and alcohol service", "the early help service", "the emergency department",
    "the ambulance service", "the youth offending service", "the domestic abuse service",
)
DOCTORS = (
    "Dr. Okafor", "Dr. Lindqvist", "Dr. Ahmed", "Dr. Brennan", "Dr. Kowalczyk", "Dr. Haddad",
    "Dr. Pemberton", "Dr. Achebe", "Dr. Sorensen", "Dr. Mistry",
)
FIRST_WORDS = (
    "It is clear that", "The review found that", "The panel noted that", "The evidence shows that",
    "Records indicate that", "It was evident that", "The reviewer concluded that",
    "Practitioners told the review that", "Agency reports confirm that", "It appears that",
)
ROUTINE_EVENTS = (
    "{prof} visited the home and saw {child} with {mother}",
    "{child} was taken to the GP practice with a cough and was seen by {doctor}",
    "{mother} attended a routine appointment at 10.30am and no concerns were recorded",
    "{prof} telephoned {mother} to arrange a visit, but the call was not answered",
    "{child} attended the school's breakfast club and staff described {him} as settled",
    "{prof} completed a routine contact and recorded that the home was warm and tidy",
    "a letter was sent to {mother} offering an appointment at the children's centre",
    "the family moved to a flat in another part of {area} and the GP registration was updated",
    "{prof} recorded a home visit at 2.15pm, at which {child} was asleep in a cot",
    "{child} received {his} scheduled immunisations at the GP practice",
    "{prof} and {mother} discussed the support available from the children's centre",
    "the case was discussed at a team meeting and the plan was confirmed",
    "{mother} contacted the GP practice to ask for a repeat prescription",
    "{prof} sent a referral letter to {agency}, which was acknowledged a week later",
    "{child} was weighed at the baby clinic and {his} growth was on the expected centile",
    "{father} attended an appointment with {child} for the first time",
    "a new worker was allocated to the family after the previous worker left",
    "{prof} wrote to the family to say the case would be reviewed in three months",
)
GOOD_PRACTICE = (
    "The health visitor's records were detailed and made the review's work easier.",
    "The school's designated safeguarding lead acted promptly when {child} disclosed a worry.",
    "{prof} showed persistence in trying to see {child}, visiting three times in one week.",
    "The emergency department followed the local protocol and made a referral the same day.",
    "The family support worker built a trusting relationship with {mother}, which the family valued.",
    "Police officers attending the incident spoke to {child} separately and recorded {his} words.",
    "The strategy discussion was convened within a day and included all the relevant agencies.",
    "{doctor} took time to explain the concerns to {mother} and recorded the conversation in full.",
)
CONTEXT_SENTENCES = (
    "The panel met on {n} occasions and considered reports from each agency.",
    "The reviewer spoke with practitioners in a series of learning events held in {month}.",
    "Each agency provided a chronology and an analysis of its own involvement.",
    "The family were invited to contribute, and {mother} met the reviewer twice.",
    "The review has used a systems approach, i.e. it looks at why decisions made sense at the time.",
    "The review does not seek to apportion blame to individuals or agencies.",
    "Practitioners were open with the review and reflected carefully on their practice.",
    "The period under review runs from the start of the pregnancy to the date of the incident.",
    "Where the report refers to a professional, the role is used rather than a name.",
    "The review considered national guidance, e.g. the statutory guidance on multi-agency working.",
    "{father} declined to take part, and his views are therefore not represented in this report.",
    "The review's findings were shared with the family before publication.",
    "The terms of reference were agreed by the partnership's case review group in {month}.",
    "Information held by {agency} was included, although it had limited contact with the family.",
    "Some records were incomplete, and the reviewer has said so where it affects the analysis.",
)
FOOTNOTES = (
    "Working Together to Safeguard Children, HM Government, published guidance on multi-agency practice.",
    "The names of practitioners are not used; each is referred to by role.",
    "A strategy discussion is a meeting between agencies to decide whether a child protection enquiry is needed.",
    "The local threshold document sets out the levels of need used by all partner agencies.",
    "The Multi-Agency Risk Assessment Conference meets fortnightly in the area.",
    "The DASH checklist is a tool for assessing risk in cases of domestic abuse.",
    "The safer sleep guidance advises that babies sleep on their back in their own cot.",
    "This figure comes from the agency's own audit, shared with the review in confidence.",
    "Was not brought is used in place of did not attend, as a child cannot take themselves to appointments.",
    "The Early Help Assessment is the local tool for assessing needs below the statutory threshold.",
    "The review was commissioned under the arrangements in place at that time.",
    "Disguised compliance describes a parent giving the appearance of cooperation to avoid scrutiny.",
    "The panel included senior managers from health, police, education and children's social care.",
    "CAMHS waiting times in the area were reported to the partnership board in the same year.",
    "Records from the previous local authority were requested but arrived after the incident.",
)
GLOSSARY = (
    ("CAMHS", "Child and Adolescent Mental Health Services"),
    ("CSPR", "Child Safeguarding Practice Review"),
    ("DASH", "Domestic Abuse, Stalking and Harassment risk checklist"),
    ("DSL", "Designated Safeguarding Lead in a school"),
    ("ED", "Emergency Department"),
    ("EHA", "Early Help Assessment"),
    ("GP", "General Practitioner"),
    ("IDVA", "Independent Domestic Violence Adviser"),
    ("MARAC", "Multi-Agency Risk Assessment Conference"),
    ("MASH", "Multi-Agency Safeguarding Hub"),
    ("SCR", "Serious Case Review"),
    ("SUDI", "Sudden Unexpected Death in Infancy"),
)
TERMS_OF_REFERENCE = (
    "The review will examine how agencies identified and responded to the needs of {child}.",
    "It will consider how well information was shared between agencies and acted upon.",
    "It will ask whether the voice and lived experience of {child} informed the decisions made.",
    "It will consider the quality of risk assessment at each key point in the chronology.",
    "It will examine how agencies worked with {father} and any other men in the household.",
    "It will identify good practice as well as learning for the partnership.",
    "It will consider whether thresholds and escalation procedures were applied appropriately.",
    "It will make recommendations to improve practice across the partnership.",
)
CONCLUSION = (
    "The death of {child} was a tragedy for the family and for the professionals who knew {him}.",
    "Many professionals worked hard with this family, often in difficult circumstances.",
    "The review has found that the system did not always help them to see the whole picture.",
    "The partnership has already begun to act on several of the findings in this report.",
    "The reviewer is grateful to the family and to the practitioners who contributed so openly.",
    "The learning set out above is relevant to every agency in the partnership.",
)
RECOMMENDATION_BODIES = (
    "The partnership should ensure that {topic} is addressed in multi-agency training within twelve months.",
    "The partnership should seek assurance from each agency that its guidance on {topic} is known and used.",
    "The partnership should audit a sample of cases to test whether practice on {topic} has improved.",
    "The partnership should ensure that procedures on {topic} are reviewed and reissued to all staff.",
    "The partnership should commission a briefing for practitioners on {topic}, drawing on this review.",
    "The partnership should ask the health and social care commissioners to report on {topic} by the end of the year.",
)
