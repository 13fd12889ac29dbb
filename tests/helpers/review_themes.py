"""Theme phrase bank for the fictional review prose: one entry per label of ../shared/TAXONOMY.md.

Each entry: "heading" (an analysis subsection title), "topic" (a noun phrase used in recommendations),
"event" (chronology events, the writer puts "On {date}" or similar in front), "analysis" (the factor or
practice issue asserted), "negated" (risk factors only: the factor mentioned to be denied) and
"learning" (findings and lessons). Written for scr-themes; slots as in review_phrases.py.
"""

from __future__ import annotations

from tests.helpers.review_learning import LEARNING_TEXT

THEME_TEXT: dict[str, dict[str, tuple[str, ...] | str]] = {
    "domestic_abuse": {
        "heading": "Domestic abuse", "topic": "the response to domestic abuse",
        "event": (
            "police attended the home after a neighbour reported shouting, and {mother} had a cut to her lip",
            "{mother} told {prof} that {partner} had pushed her against a wall during an argument",
            "a DASH risk assessment was completed and scored as medium risk",
            "the case was heard at MARAC and an independent domestic violence adviser was allocated",
            "{partner} was arrested for assault and released on bail with conditions not to contact {mother}",
            "{child} told a teacher that Daddy had hit Mummy and that {he} had hidden under the bed",
            "police recorded a further domestic incident at 11.40pm; {child} was present in the home",
        ),
        "analysis": (
            "{child} lived with domestic abuse for much of {his} life, and its impact on {him} was rarely considered.",
            "The domestic abuse was treated as a series of separate incidents rather than a pattern of coercive control.",
            "Each police notification described violence between the adults, yet the risk to {child} was not assessed.",
            "{mother} later described to the review how {partner} controlled her money, her phone and her contact with friends.",
            "The MARAC action plan focused on {mother}'s safety but did not say how {child} would be protected.",
        ),
        "negated": (
            "There was no evidence of domestic abuse in the household at that time.",
            "{mother} was asked routinely about domestic abuse at each antenatal appointment and said there was none.",
            "No domestic incidents involving the family were known to the police before the incident.",
        ),
        "learning": (
            "Professionals should have recognised the cumulative pattern of domestic abuse rather than responding to each incident alone.",
            "There is learning here about hearing the experience of children who live with domestic abuse.",
            "The review found that agencies did not link the police notifications of domestic abuse to the wider picture.",
        ),
    },
    "parental_mental_health": {
        "heading": "Parental mental health", "topic": "support for parents with mental ill health",
        "event": (
            "{mother} told the GP that she felt low and was not sleeping, and {doctor} prescribed an antidepressant",
            "the perinatal mental health nurse assessed {mother} and diagnosed postnatal depression",
            "{mother} attended the emergency department after taking an overdose of her medication",
            "{mother} told {prof} that she sometimes had thoughts of harming herself",
            "adult mental health services discharged {mother} after she missed two appointments",
        ),
        "analysis": (
            "{mother}'s mental health deteriorated in the months after the birth, and this affected her capacity to care for {child}.",
            "Adult mental health services did not consider {mother}'s role as a parent when they closed her case.",
            "The impact of {mother}'s depression on the day-to-day care of {child} was never assessed.",
            "{mother} had a long history of anxiety and depression, which was known to the GP but not shared with the health visitor.",
        ),
        "negated": (
            "There was no indication that {mother} had any mental health difficulties at that time.",
            "{mother} completed a mood questionnaire at the six-week check, and no concerns about her mental health were identified.",
            "The GP records contain no reference to mental ill health for either parent.",
        ),
        "learning": (
            "Practitioners in adult services should always ask whether a patient is a parent and consider the impact on the children.",
            "The review found that parental mental health was seen as an adult issue rather than a safeguarding one.",
            "There is learning about the need for adult and children's services to plan together when a parent is unwell.",
        ),
    },
    "parental_substance_misuse": {
        "heading": "Parental substance misuse", "topic": "the impact of parental drug and alcohol use",
        "event": (
            "{father} was arrested for possession of cannabis and cocaine; {child} was at home at the time",
            "{prof} noticed a strong smell of alcohol when {mother} opened the door at 9.15am",
            "{mother} was referred to the drug and alcohol service but did not attend the first appointment",
            "{partner} told the GP that he was drinking up to a bottle of vodka a day",
            "a neighbour reported to the police that the adults in the flat were using drugs and leaving {child} alone",
        ),
        "analysis": (
            "Both parents used alcohol heavily, and this was a significant factor in the neglect of {child}.",
            "{mother}'s drug use was known to three agencies, but none considered what it meant for {child}'s care at night.",
            "Parental substance misuse was described in the records as recreational and was not explored further.",
            "The drug and alcohol service worked with {father} as an individual and did not know he was caring for a young child.",
        ),
        "negated": (
            "{mother} denied any drug use, and a hair strand test was negative.",
            "There was no evidence of parental substance misuse during the period under review.",
            "Neither parent was known to the drug and alcohol service, and no concerns about alcohol were recorded.",
        ),
        "learning": (
            "Professionals should have explored the pattern of parental drinking and its effect on the supervision of {child}.",
            "The review found that adult substance misuse services did not routinely ask about children in the household.",
            "There is learning here about the risks created by parental substance misuse when an infant shares a bed with an adult.",
        ),
    },
    "neglect": {
        "heading": "Neglect", "topic": "the recognition of neglect",
        "event": (
            "{prof} found the flat cold and dirty, with little food in the kitchen and dog faeces on the floor",
            "{child} was not brought to a hospital appointment for the third time",
            "school staff noted that {child} arrived hungry and in the same clothes as the previous week",
            "the nursery reported that {child} had a severe nappy rash and had lost weight",
            "{child} was found alone in the flat by a neighbour at 8.00pm",
            "{prof} recorded that {child}'s teeth were badly decayed and that no dental appointment had been made",
        ),
        "analysis": (
            "{child} experienced chronic neglect, and the signs were visible to professionals for more than a year.",
            "The home conditions were poor throughout, and {child}'s health needs were repeatedly not met.",
            "Each missed appointment was recorded as did not attend, rather than as {child} not being brought.",
            "The neglect of {child} was cumulative, and no single event appeared serious enough to prompt action.",
            "Professionals became used to the state of the home, and what had once alarmed them came to seem normal.",
        ),
        "negated": (
            "No concerns about neglect were raised by any agency before the incident.",
            "The home was described as clean and well equipped at every visit, and there was no evidence of neglect.",
            "{child} was well presented at nursery, and staff had no concerns about {his} care.",
        ),
        "learning": (
            "Professionals should have used the neglect assessment tool to bring together the evidence of cumulative harm.",
            "The review found that the local neglect strategy was not well known to frontline staff.",
            "There is learning about recognising neglect when a family's circumstances improve for a short time and then decline.",
        ),
    },
    "physical_abuse": {
        "heading": "Physical abuse and injuries", "topic": "the response to bruising and injuries",
        "event": (
            "{prof} noticed a small bruise on {child}'s cheek, which {mother} said was caused by a toy",
            "{child} was taken to the emergency department with a swollen arm, and an X-ray showed a fracture",
            "a skeletal survey found older rib fractures at different stages of healing",
            "{child} was admitted to hospital with a head injury consistent with shaking",
            "the school saw marks on {child}'s back that looked like a belt had been used",
        ),
        "analysis": (
            "Bruising in a non-mobile baby is rare, and the bruise seen on {child} should have led to a referral.",
            "The explanations given for {child}'s injuries were accepted without question, although they changed over time.",
            "The injuries {child} suffered were the result of physical abuse by a carer.",
            "{child} had several unexplained injuries over a short period, but they were recorded by different professionals who did not see the pattern.",
        ),
        "negated": (
            "There were no injuries or marks on {child} at any point before the incident.",
            "The paediatric assessment found no evidence of physical abuse.",
            "No bruising was seen on {child} by any professional during the period under review.",
        ),
        "learning": (
            "Professionals should have followed the bruising protocol for non-mobile babies, which requires a paediatric assessment.",
            "The review found that staff were not confident to question the explanations given by parents for injuries.",
            "There is learning about the importance of seeing injuries in the context of what is already known about the family.",
        ),
    },
    "sexual_abuse": {
        "heading": "Sexual abuse", "topic": "the recognition of child sexual abuse",
        "event": (
            "{child} told a teaching assistant that an older relative made {him} keep secrets",
            "police received information that {partner} had previous convictions for sexual offences against children",
            "{child} showed sexualised behaviour in the classroom, which the school recorded as a concern",
        ),
        "analysis": (
            "The signs that {child} may have been sexually abused were recorded but were not brought together.",
            "{partner} posed a known risk of sexual harm to children, but this was not shared with the school.",
            "The behaviour {child} showed at school was an indicator of sexual abuse that was not recognised at the time.",
        ),
        "negated": (
            "There was no suggestion of sexual abuse in any agency record.",
            "{child} was spoken to alone and made no disclosure of sexual abuse.",
        ),
        "learning": (
            "The review found that practitioners lacked confidence in talking with children about sexual abuse.",
            "Professionals should have considered whether {child}'s behaviour was a sign of sexual harm.",
        ),
    },
    "extrafamilial_exploitation": {
        "heading": "Harm outside the home", "topic": "the response to criminal and sexual exploitation",
        "event": (
            "{child} was found by police in another town with two adult men and a large amount of cash",
            "{child} was stopped and searched and found to be carrying a knife",
            "{child} went missing overnight and returned with new clothes and a second mobile phone",
            "{mother} told the police that she thought {child} was being groomed by older boys on social media",
            "a return home interview was offered but {child} declined to speak to the worker",
        ),
        "analysis": (
            "{child} was being criminally exploited, and the county lines activity was known to the police.",
            "Agencies saw {child} as making choices rather than as a victim of exploitation.",
            "The risk to {child} came from outside the family, yet the child protection plan focused on {his} parents.",
            "Each missing episode was treated separately, and the link with exploitation by older men was not made.",
        ),
        "negated": (
            "There was no information to suggest that {child} was being exploited.",
            "The exploitation screening tool was completed, and no indicators of exploitation were identified.",
        ),
        "learning": (
            "Professionals should have recognised {child} as a victim of exploitation rather than as an offender.",
            "The review found that the contextual safeguarding approach was not yet embedded in local practice.",
            "There is learning about the use of the national referral mechanism for children at risk of criminal exploitation.",
        ),
    },
    "child_mental_health": {
        "heading": "{child}'s emotional wellbeing and mental health", "topic": "the mental health of young people",
        "event": (
            "{child} told the school nurse that {he} had been cutting {his} arms",
            "{child} was taken to the emergency department after an overdose of paracetamol",
            "{child} was referred to CAMHS with low mood and suicidal thoughts",
            "a CAMHS practitioner assessed {child} and offered a place on the waiting list for therapy",
            "{child} posted on social media that {he} did not want to be here any more",
        ),
        "analysis": (
            "{child} self-harmed repeatedly over eighteen months, and the risk of suicide was not fully assessed.",
            "{child}'s mental health declined steadily after the move to secondary school.",
            "Each episode of self-harm was treated as a crisis to be managed, rather than as part of a pattern.",
            "{child} had an eating disorder that was not recognised until {he} was admitted to hospital.",
        ),
        "negated": (
            "{child} had no history of self-harm, and no concerns about {his} mental health had been raised.",
            "The school had no concerns about {child}'s emotional wellbeing.",
        ),
        "learning": (
            "The review found that the safety plan agreed with {child} was not shared with the school or the GP.",
            "Professionals should have reassessed the risk of suicide each time {child} harmed {him}self.",
            "There is learning here about the support offered to young people while they wait for CAMHS.",
        ),
    },
    "unsafe_sleep": {
        "heading": "Safer sleep", "topic": "safer sleep advice",
        "event": (
            "the midwife gave safer sleep advice and recorded that a Moses basket was in the bedroom",
            "{prof} saw that {child} was sleeping on the sofa with {father} and advised against it",
            "{mother} told {prof} that {child} often slept in the parents' bed because {he} settled better",
            "{child} was found unresponsive in the parents' bed at 6.30am and could not be revived",
            "ambulance staff noted that {child} had been sleeping between the adults on a soft mattress",
        ),
        "analysis": (
            "{child} died while co-sleeping with an adult who had been drinking, a known risk factor for sudden infant death.",
            "Safer sleep advice was given several times, but it was given as information rather than as a conversation about risk.",
            "The family's sleeping arrangements changed when they moved, and no one asked where {child} slept in the new flat.",
            "The risk of co-sleeping was increased by the parents' smoking and alcohol use.",
        ),
        "negated": (
            "{child} was sleeping in {his} own cot, and there was no evidence of co-sleeping.",
            "The sleeping arrangements were checked at each visit, and no concerns about unsafe sleep were identified.",
        ),
        "learning": (
            "Safer sleep advice should be tailored to the family's circumstances, e.g. when the parents drink alcohol or smoke.",
            "The review found that professionals did not revisit safer sleep advice when circumstances changed.",
            "There is learning about planning for unsafe sleep at times of disruption, such as a house move or an illness.",
        ),
    },
    "housing_poverty": {
        "heading": "Housing and poverty", "topic": "the effect of poverty and insecure housing",
        "event": (
            "the family were evicted from their private rented flat and placed in temporary accommodation",
            "{mother} told {prof} that she had no money for electricity and that the meter had run out",
            "the housing officer visited and found the family of five living in one room",
            "the family moved for the fourth time in a year, this time to a hostel in another area",
            "{mother} asked the school for help with food vouchers during the holidays",
        ),
        "analysis": (
            "The family lived in poverty, and their frequent moves made it hard for any agency to know them well.",
            "The temporary accommodation was overcrowded and unsuitable for a young child.",
            "Debt and financial hardship were constant pressures on the family and added to the stress in the home.",
            "Each move meant a new GP, a new health visitor and a new school, and records did not always follow.",
        ),
        "negated": (
            "The family were settled in a three-bedroom house, and there were no housing concerns.",
            "There was no evidence of financial hardship, and the family had no debts.",
        ),
        "learning": (
            "The review found that housing services were not included in the safeguarding plan although they held important information.",
            "Professionals should have recognised the impact of poverty on the family's ability to meet {child}'s needs.",
        ),
    },
    "missing_education": {
        "heading": "Attendance and education", "topic": "children missing education",
        "event": (
            "the school recorded that {child}'s attendance had fallen to 62 per cent",
            "{child} was excluded from school for a fixed period after a fight",
            "{mother} wrote to the school to say that she would educate {child} at home",
            "the education welfare officer visited and was told that {child} was unwell",
            "{child} was reported missing from home by {mother} at 1.00am",
        ),
        "analysis": (
            "{child}'s persistent absence from school meant that {he} was out of sight of professionals for long periods.",
            "After {child} was withdrawn for elective home education, no professional saw {him} for seven months.",
            "The exclusions removed {child} from the one setting where adults knew {him} well.",
            "{child} went missing from home on several occasions, and the return interviews did not explore why.",
        ),
        "negated": (
            "{child}'s attendance at school was good throughout, and there were no periods of absence.",
            "There were no missing episodes recorded for {child}.",
        ),
        "learning": (
            "The review found that elective home education was accepted without any check on {child}'s welfare.",
            "Professionals should have treated falling attendance as a safeguarding concern rather than an education issue alone.",
        ),
    },
    "hidden_men": {
        "heading": "Fathers and male carers", "topic": "engaging fathers and male carers",
        "event": (
            "{prof} saw a man leaving the flat but did not ask who he was",
            "{mother} mentioned a new boyfriend, but his name was not recorded",
            "{partner} answered the door and said {mother} was out; the visit did not go ahead",
            "{father} asked the GP for advice about {child}, the only contact he had with any agency",
        ),
        "analysis": (
            "{partner} was a significant figure in {child}'s life, but he was almost invisible to professionals.",
            "No agency checked {partner}'s history, which included convictions for violence.",
            "The assessments were based entirely on {mother}'s account, and {father} was never spoken to.",
            "Men in the household were seen as peripheral, although they had care of {child} for long periods.",
        ),
        "negated": (
            "There was no other adult living in the household, and {mother} cared for {child} alone.",
            "{father} had no contact with the family and was not known to any agency.",
        ),
        "learning": (
            "Professionals should have found out who was living in the home and caring for {child}.",
            "The review found that fathers and male carers were routinely left out of assessments.",
            "There is learning here about the invisibility of men in the lives of babies and young children.",
        ),
    },
    "child_disability": {
        "heading": "Disability and additional needs", "topic": "children with disabilities and complex needs",
        "event": (
            "{child} was diagnosed with autism after an assessment by the child development centre",
            "the special educational needs coordinator applied for an education, health and care plan for {child}",
            "{child} was fitted with a feeding tube, and {mother} was trained to use it",
            "{prof} noted that {child} had no words at the age of three and referred {him} to speech therapy",
        ),
        "analysis": (
            "{child}'s disability made {him} more vulnerable, and less able to tell anyone what was happening.",
            "Professionals focused on {child}'s complex health needs and lost sight of the safeguarding concerns.",
            "{child}'s communication needs meant that {his} wishes and feelings were never directly obtained.",
        ),
        "negated": (
            "{child} had no known disability or additional needs.",
            "There were no concerns about {child}'s development.",
        ),
        "learning": (
            "The review found that signs of abuse were attributed to {child}'s disability without further enquiry.",
            "Professionals should have used communication aids to seek the views of {child}.",
        ),
    },
    "parental_history": {
        "heading": "The parents' own histories", "topic": "the impact of parents' own childhood experiences",
        "event": (
            "{prof} learned that {mother} had been in care as a teenager",
            "the midwife recorded that {mother}'s two older children had been adopted",
            "{father} told {prof} that he had grown up with violence at home",
        ),
        "analysis": (
            "{mother} had herself been a looked after child, and her own experience of neglect shaped her parenting.",
            "The removal of {mother}'s previous children was known but was not considered in the pre-birth assessment.",
            "Both parents were care leavers with little family support of their own.",
            "{mother} was seventeen when {child} was born and had left care only a year before.",
        ),
        "negated": (
            "Neither parent had any history of involvement with children's social care.",
            "There were no previous children removed from either parent's care.",
        ),
        "learning": (
            "The review found that the history of previous removals should have triggered a pre-birth assessment.",
            "Professionals should have used the parents' histories to understand the risks without letting them define the family.",
        ),
    },
    **LEARNING_TEXT,
}

SUBJECT_THEMES = {
    "sudi": ("unsafe_sleep", "parental_substance_misuse", "housing_poverty", "hidden_men",
             "information_sharing", "professional_curiosity", "parental_mental_health", "case_closure"),
    "suicide": ("child_mental_health", "service_access", "missing_education", "voice_of_child",
                "extrafamilial_exploitation", "information_sharing", "case_closure", "multi_agency_working"),
    "neglect": ("neglect", "parental_substance_misuse", "professional_curiosity", "thresholds_escalation",
                "voice_of_child", "housing_poverty", "supervision_workload", "risk_assessment"),
    "maltreatment": ("physical_abuse", "domestic_abuse", "hidden_men", "voice_of_child", "missing_education",
                     "risk_assessment", "information_sharing", "recording_systems"),
    "injury": ("physical_abuse", "domestic_abuse", "parental_history", "hidden_men", "training_guidance",
               "multi_agency_working", "professional_curiosity", "feedback_to_referrers"),
    "exploitation": ("extrafamilial_exploitation", "missing_education", "child_disability", "case_closure",
                     "multi_agency_working", "thresholds_escalation", "sexual_abuse", "service_access"),
}
