"""Demonstration content for `manage.py load_demo`: topics, articles and sample people.

Everything here is data. The reviewers are invented and marked as samples; the two
references are real sources, cited as published.
"""

import re
from datetime import date

_BLOCK_TAG = re.compile(r"\s*(</?(?:p|h3|h4|ul|ol|li)>)\s*")


def _html(text):
    """Return HTML written over several lines as one string, without stray spaces."""
    joined = " ".join(line.strip() for line in text.strip().splitlines())
    return _BLOCK_TAG.sub(r"\1", joined)


REVISION_COMMENT = "Loaded demo content"

# Parents come before their children.
TOPICS = [
    {
        "slug": "breast-cancer",
        "name": "Breast cancer",
        "parent": None,
        "order": 1,
        "intro": "Information about breast cancer, from noticing a change to life "
        "after treatment.",
    },
    {
        "slug": "breast-cancer-diagnosis-and-tests",
        "name": "Diagnosis and tests",
        "parent": "breast-cancer",
        "order": 1,
        "intro": "What to look out for, when to see your GP and the tests you may "
        "have.",
    },
    {
        "slug": "breast-cancer-after-treatment",
        "name": "After treatment",
        "parent": "breast-cancer",
        "order": 2,
        "intro": "Follow-up care, what to look out for and what happens if breast "
        "cancer comes back.",
    },
    {
        "slug": "living-with-cancer",
        "name": "Living with cancer",
        "parent": None,
        "order": 2,
        "intro": "Looking after your feelings, your body and your everyday life during "
        "and after cancer.",
    },
]

REFERENCES = {
    "nice-cg81": {
        "kind": "guideline",
        "authors": "National Institute for Health and Care Excellence (NICE)",
        "title": "Advanced breast cancer: diagnosis and treatment",
        "source": "",
        "identifier": "CG81",
        "year": 2009,
        "updated_year": 2017,
        "url": "https://www.nice.org.uk/guidance/cg81",
        "accessed_on": date(2021, 11, 1),
    },
    "bmj-metastatic-breast-cancer": {
        "kind": "web_page",
        "authors": "BMJ Best Practice",
        "title": "Metastatic breast cancer",
        "source": "BMJ Publishing Group",
        "identifier": "",
        "year": None,
        "updated_year": None,
        "url": "https://bestpractice.bmj.com/topics/en-gb/714",
        "accessed_on": date(2021, 11, 1),
    },
}

# Invented people: every name says so, and is_sample shows "(sample reviewer)".
REVIEWERS = {
    "editorial": {
        "name": "Infosite information development team",
        "credentials": "",
        "kind": "editorial",
        "is_sample": True,
    },
    "oncologist": {
        "name": "Dr Alex Sample",
        "credentials": "Consultant Medical Oncologist",
        "kind": "clinical",
        "is_sample": True,
    },
    "surgeon": {
        "name": "Prof Jordan Example",
        "credentials": "Consultant Breast Surgeon",
        "kind": "clinical",
        "is_sample": True,
    },
    "lived_experience": {
        "name": "Sam Example",
        "credentials": "Living with secondary breast cancer",
        "kind": "lived_experience",
        "is_sample": True,
    },
}

RECURRENCE = "/articles/breast-cancer-recurrence/"
SECONDARY = "/articles/secondary-breast-cancer/"
SIGNS = "/articles/signs-and-symptoms-of-breast-cancer/"
COPING = "/articles/coping-with-fear-of-cancer-coming-back/"

ARTICLES = [
    {
        "slug": "breast-cancer-recurrence",
        "title": "Breast cancer recurrence",
        "summary": "Sometimes breast cancer comes back after treatment. This is "
        "called a recurrence. Here we explain the different types, what to look out "
        "for and how it may be treated.",
        "topic": "breast-cancer-after-treatment",
        "is_featured": True,
        "reviewed_on": date(2023, 7, 1),
        "next_review_on": date(2026, 7, 1),
        "related": [
            "signs-and-symptoms-of-breast-cancer",
            "secondary-breast-cancer",
            "coping-with-fear-of-cancer-coming-back",
        ],
        "references": ["nice-cg81", "bmj-metastatic-breast-cancer"],
        "credits": [
            ("wrote", "editorial"),
            ("reviewed", "lived_experience"),
            ("reviewed", "oncologist"),
            ("approved", "oncologist"),
            ("approved", "surgeon"),
        ],
        "sections": [
            {
                "heading": "About breast cancer recurrence",
                "body": _html(f"""
                    <p>When breast cancer comes back after treatment, doctors call it a
                    <strong>recurrence</strong>. It can happen months or many years
                    after your treatment ended.</p>
                    <p>There are different types of recurrence. The type depends on
                    where the cancer comes back:</p>
                    <ul>
                    <li><strong>Local recurrence</strong> means the cancer is back in
                    the treated breast, the chest wall or the skin near the scar.</li>
                    <li><strong>Regional recurrence</strong> means the cancer is back in
                    the lymph nodes near the breast. These are in the armpit, at the
                    base of the neck or near the breastbone.</li>
                    <li><strong>Secondary breast cancer</strong> means the cancer has
                    spread to another part of the body, such as the bones or lungs.</li>
                    </ul>
                    <p>A cancer in your other breast is usually a new breast cancer,
                    not a recurrence. Your doctor will explain what your tests
                    show.</p>
                    <p>Finding out that cancer has come back can be a shock. You do not
                    have to face it alone. Your breast care nurse is there to support
                    you. We also have information about
                    <a href="{COPING}">coping with fear of cancer coming back</a>.</p>
                """),
            },
            {
                "heading": "Symptoms of breast cancer recurrence",
                "body": _html(f"""
                    <p>After treatment, it is natural to worry that every ache or change
                    means the cancer is back. Most of the time it does not. Everyone
                    gets aches and pains. Some changes are side effects of treatment
                    that settle with time.</p>
                    <p>Your breast care nurse can explain what is normal for you now.
                    They can show you what to check in:</p>
                    <ul>
                    <li>the treated breast, or your chest and scar if you had a
                    mastectomy</li>
                    <li>your armpit and the area around your collarbone</li>
                    <li>your other breast</li>
                    </ul>
                    <p>Signs of a local or regional recurrence can include:</p>
                    <ul>
                    <li>a new lump or thickening in the breast, chest, scar or
                    armpit</li>
                    <li>a change in the skin, such as a rash, dimpling or a change in
                    colour</li>
                    <li>a change to the nipple, or fluid coming from it</li>
                    <li>swelling in the arm or hand on the side you had treatment</li>
                    </ul>
                    <p>Keep checking your other breast too. Our page on the
                    <a href="{SIGNS}">signs and symptoms of breast cancer</a> explains
                    what to look for. If cancer spreads to another part of the body, the
                    symptoms depend on where it is. We explain these in our information
                    about <a href="{SECONDARY}">secondary breast cancer</a>.</p>
                    <h3>When to get help</h3>
                    <p>Tell your cancer doctor or breast care nurse about any symptom
                    that is new, does not go away or keeps getting worse. Do not wait
                    for your next check-up. Often it turns out to be something else,
                    but it is always best to get it checked.</p>
                """),
            },
            {
                "heading": "Local and regional breast cancer recurrence",
                "body": _html(f"""
                    <p>A <strong>local recurrence</strong> is when the cancer comes back
                    in the treated breast, the chest wall or the skin near the scar. A
                    <strong>regional recurrence</strong> is when it comes back in the
                    lymph nodes nearby.</p>
                    <p>A local or regional recurrence can happen on its own. Sometimes
                    it is found at the same time as cancer in another part of the
                    body.</p>
                    <h3>Tests</h3>
                    <p>You may have some of the tests you had when you were first
                    diagnosed. These might include:</p>
                    <ul>
                    <li>an examination by your doctor or nurse</li>
                    <li>a mammogram or an ultrasound scan</li>
                    <li>a biopsy, where a doctor takes a small sample of tissue to look
                    at under a microscope</li>
                    </ul>
                    <p>The biopsy also shows whether the cancer cells have receptors
                    for hormones or a protein called HER2. This can be different from
                    your first cancer, so it helps your team plan the right
                    treatment.</p>
                    <p>Your doctor may also suggest scans, such as a CT scan or bone
                    scan. These check whether the cancer has spread anywhere else.
                    Waiting for results can be hard. Ask your breast care nurse when to
                    expect them.</p>
                    <h3>Treatment</h3>
                    <p>Your treatment will depend on where the cancer has come back and
                    the treatment you have already had. Your cancer doctor and breast
                    care nurse will talk through your options with you, including the
                    possible benefits and side effects.</p>
                    <p>Treatment for a local or regional recurrence may include one or
                    more of these:</p>
                    <ul>
                    <li><strong>surgery</strong> to remove the cancer, or the rest of
                    the breast if you had only part of it removed before</li>
                    <li><strong>radiotherapy</strong>, depending on whether you have
                    had radiotherapy to the same area before</li>
                    <li><strong>hormonal therapy</strong>, if the cancer cells have
                    hormone receptors</li>
                    <li><strong>chemotherapy</strong></li>
                    <li><strong>targeted therapy</strong>, which acts on something
                    specific in the cancer cells, such as the HER2 protein</li>
                    </ul>
                    <p>You can ask as many questions as you need to, and ask again if
                    something is not clear. It may help to write your questions down
                    before your appointment. <a href="{COPING}">Coping with fear of
                    cancer coming back</a> has ideas for looking after yourself while
                    you wait.</p>
                """),
            },
            {
                "heading": "Secondary breast cancer",
                "body": _html(f"""
                    <p>If tests show the cancer has spread to another part of the body,
                    this is called <strong>secondary breast cancer</strong>. You may
                    also hear it called metastatic, advanced or stage 4 breast
                    cancer.</p>
                    <p>Hearing that you have secondary breast cancer can feel even
                    harder than your first diagnosis. It usually cannot be cured. But
                    treatment can often control it, sometimes for many years, and help
                    you keep doing the things that matter to you.</p>
                    <p>Our information about
                    <a href="{SECONDARY}">secondary breast cancer</a> explains the
                    symptoms, the tests you may have and the treatments available.</p>
                """),
            },
        ],
    },
    {
        "slug": "secondary-breast-cancer",
        "title": "Secondary breast cancer",
        "summary": "Secondary breast cancer is breast cancer that has spread to "
        "another part of the body. We explain what it is, the symptoms it can cause "
        "and how it is treated.",
        "topic": "breast-cancer",
        "is_featured": False,
        "reviewed_on": date(2025, 3, 1),
        "next_review_on": date(2028, 3, 1),
        "related": [
            "breast-cancer-recurrence",
            "coping-with-fear-of-cancer-coming-back",
        ],
        "references": ["nice-cg81", "bmj-metastatic-breast-cancer"],
        "credits": [
            ("wrote", "editorial"),
            ("reviewed", "lived_experience"),
            ("reviewed", "oncologist"),
            ("approved", "oncologist"),
        ],
        "sections": [
            {
                "heading": "What is secondary breast cancer?",
                "body": _html(f"""
                    <p>Secondary breast cancer happens when cancer cells break away from
                    the cancer in the breast. They travel through the blood or lymph
                    fluid and start to grow in another part of the body. The places it
                    most often spreads to are the bones, lungs, liver and brain.</p>
                    <p>It is still breast cancer, wherever it is. For example, breast
                    cancer in the bones is made of breast cancer cells, not bone cancer
                    cells. This is why it is treated as breast cancer.</p>
                    <p>For some people, secondary breast cancer is found at the same
                    time as their first diagnosis. For others, it is found months or
                    years after treatment. We have more about
                    <a href="{RECURRENCE}">breast cancer that comes back</a>.</p>
                """),
            },
            {
                "heading": "Symptoms of secondary breast cancer",
                "body": _html("""
                    <p>Symptoms depend on where the cancer has spread. They can
                    include:</p>
                    <ul>
                    <li><strong>in the bones:</strong> pain that does not go away and
                    is often worse at night</li>
                    <li><strong>in the lungs:</strong> feeling breathless, or a cough
                    that will not clear</li>
                    <li><strong>in the liver:</strong> feeling sick, discomfort on the
                    right side of your tummy, or yellowing of your skin or the whites of
                    your eyes</li>
                    <li><strong>in the brain:</strong> headaches, feeling sick, changes
                    to your eyesight, or weakness in an arm or leg</li>
                    </ul>
                    <p>You may also feel very tired, lose your appetite or lose weight
                    without trying.</p>
                    <p>These symptoms are common and often have other causes. But if you
                    have had breast cancer, tell your cancer doctor or breast care nurse
                    about any symptom that is new, lasts or keeps coming back.</p>
                    <h3>When to get help straight away</h3>
                    <p>Call your hospital's 24-hour cancer helpline, or go to A&amp;E,
                    if you have back or neck pain together with numbness, tingling or
                    weakness in your legs, or problems controlling your bladder or
                    bowels. These can be signs of pressure on the spinal cord, which
                    needs treatment quickly.</p>
                """),
            },
            {
                "heading": "Tests",
                "body": _html("""
                    <p>Your doctor will arrange tests to find out where the cancer is
                    and how best to treat it. You may have:</p>
                    <ul>
                    <li>blood tests</li>
                    <li>scans, such as a CT scan, MRI scan, bone scan or PET-CT
                    scan</li>
                    <li>a biopsy, to confirm the diagnosis and check whether the cancer
                    cells have hormone receptors or the HER2 protein</li>
                    </ul>
                    <p>Your breast care nurse can explain each test and tell you when
                    you should get the results.</p>
                """),
            },
            {
                "heading": "Treatment",
                "body": _html("""
                    <p>Treatment aims to control the cancer, ease any symptoms and help
                    you live well for as long as possible. Your cancer doctor will
                    suggest treatment based on the type of breast cancer you have, where
                    it has spread and the treatment you have had before. What you want
                    matters too.</p>
                    <p>Treatments may include:</p>
                    <ul>
                    <li><strong>hormonal therapy</strong>, if the cancer cells have
                    hormone receptors</li>
                    <li><strong>targeted therapy</strong>, such as drugs that act on the
                    HER2 protein</li>
                    <li><strong>chemotherapy</strong></li>
                    <li><strong>radiotherapy</strong>, for example to ease bone
                    pain</li>
                    <li><strong>bone-strengthening drugs</strong>, if the cancer has
                    spread to the bones</li>
                    <li><strong>surgery</strong>, for some people</li>
                    </ul>
                    <p>You will usually have treatment for as long as it is working and
                    you are coping with the side effects. Tell your team about any side
                    effects. There are often ways to help.</p>
                """),
            },
            {
                "heading": "Support for you",
                "body": _html(f"""
                    <p>Living with secondary breast cancer can affect every part of your
                    life. It is normal to have strong and changing feelings.</p>
                    <p>Your breast care nurse can talk with you about how you feel and
                    put you in touch with local support. Your team may also introduce
                    you to a palliative care team. They help with symptoms and feelings
                    at any stage, not only towards the end of life.</p>
                    <p>You might also find our information about
                    <a href="{COPING}">coping with fear of cancer coming back</a>
                    helpful.</p>
                """),
            },
        ],
    },
    {
        "slug": "signs-and-symptoms-of-breast-cancer",
        "title": "Signs and symptoms of breast cancer",
        "summary": "Knowing what is normal for your breasts helps you notice changes "
        "early. Here are the signs to look out for and what to do if you find one.",
        "topic": "breast-cancer-diagnosis-and-tests",
        "is_featured": True,
        "reviewed_on": date(2024, 1, 15),
        "next_review_on": date(2027, 1, 15),
        "related": ["breast-cancer-recurrence"],
        "references": [],
        "credits": [
            ("wrote", "editorial"),
            ("reviewed", "lived_experience"),
            ("reviewed", "surgeon"),
            ("approved", "surgeon"),
        ],
        "sections": [
            {
                "heading": "Getting to know your breasts",
                "body": _html("""
                    <p>There is no special way to check your breasts. The most
                    important thing is to know what is normal for you, so you notice
                    if something changes.</p>
                    <p>Look at your breasts and feel them from time to time. Include
                    the whole breast, your armpits and up to your collarbone. Breasts
                    often change with periods, pregnancy and age, so some changes are
                    normal.</p>
                    <p>Anyone can get breast cancer, including men. It is much less
                    common in men, but the signs to look out for are the same.</p>
                """),
            },
            {
                "heading": "Changes to look out for",
                "body": _html(f"""
                    <p>See your GP if you notice any of these:</p>
                    <ul>
                    <li>a lump or thickening in your breast or armpit</li>
                    <li>a change in the size or shape of your breast</li>
                    <li>dimpling or puckering of the skin</li>
                    <li>redness or a darker colour on the skin, which can be harder to
                    see on brown or black skin</li>
                    <li>a nipple that has turned inwards when it did not before</li>
                    <li>a rash, crusting or scaly skin on or around the nipple</li>
                    <li>fluid coming from the nipple when you are not
                    breastfeeding</li>
                    <li>pain in your breast or armpit that does not go away</li>
                    </ul>
                    <p>Most breast changes are not cancer. But it is important to get
                    any change checked, because cancer found early is usually easier
                    to treat.</p>
                    <p>If you have had breast cancer before, contact your breast care
                    nurse or cancer doctor instead. Our page about
                    <a href="{RECURRENCE}">breast cancer recurrence</a> explains what
                    to look out for after treatment.</p>
                """),
            },
            {
                "heading": "What to do if you notice a change",
                "body": _html("""
                    <p>Try not to put off getting it checked. This is what usually
                    happens:</p>
                    <ol>
                    <li>Make an appointment with your GP as soon as you can.</li>
                    <li>Tell them what you noticed and when it started. It can help to
                    write this down beforehand.</li>
                    <li>Your GP will usually examine your breasts. They may refer you
                    to a breast clinic.</li>
                    <li>At the clinic, you may have a mammogram, an ultrasound scan or a
                    biopsy.</li>
                    </ol>
                    <p>Waiting to be seen can be worrying. You can ask your GP how long
                    it is likely to take and who to contact if you have not heard.</p>
                """),
            },
            {
                "heading": "Breast screening",
                "body": _html("""
                    <p>The NHS invites women aged about 50 to 71 for breast screening
                    every 3 years. The exact ages vary a little across the UK. Some
                    trans and non-binary people can have screening too. Your GP can
                    tell you if it applies to you.</p>
                    <p>Screening can find cancers that are too small to see or feel. But
                    it does not replace knowing your breasts. If you notice a change
                    between screens, see your GP.</p>
                """),
            },
        ],
    },
    {
        "slug": "coping-with-fear-of-cancer-coming-back",
        "title": "Coping with fear of cancer coming back",
        "summary": "Many people worry that their cancer will come back after "
        "treatment. These feelings are normal. Here are some ways to manage them and "
        "where to find support.",
        "topic": "living-with-cancer",
        "is_featured": False,
        "reviewed_on": date(2025, 9, 1),
        "next_review_on": date(2028, 9, 1),
        "related": ["breast-cancer-recurrence", "secondary-breast-cancer"],
        "references": [],
        "credits": [
            ("wrote", "editorial"),
            ("reviewed", "lived_experience"),
            ("reviewed", "oncologist"),
            ("approved", "oncologist"),
        ],
        "sections": [
            {
                "heading": "Why you might feel this way",
                "body": _html("""
                    <p>When treatment ends, many people expect to feel relieved.
                    Instead, you may find yourself worrying that the cancer will come
                    back. This is one of the most common feelings after cancer. It does
                    not mean the cancer is back.</p>
                    <p>The worry may be stronger at certain times, such as:</p>
                    <ul>
                    <li>before a check-up or while waiting for results</li>
                    <li>around the date you were diagnosed</li>
                    <li>when you have a new ache or pain</li>
                    <li>when you hear about someone else with cancer</li>
                    </ul>
                    <p>For many people, the fear becomes easier to live with over time.
                    It may still come back now and then.</p>
                """),
            },
            {
                "heading": "Things that may help",
                "body": _html(f"""
                    <p>Different things help different people. You could try:</p>
                    <ul>
                    <li>learning which symptoms to look out for, so you know when to
                    get advice. For breast cancer, see
                    <a href="{RECURRENCE}">breast cancer recurrence</a>.</li>
                    <li>writing down your worries and questions to take to your next
                    appointment</li>
                    <li>talking to someone you trust about how you feel</li>
                    <li>joining a support group, in person or online, to meet others
                    who understand</li>
                    <li>being active in a way that suits you, such as a short daily
                    walk</li>
                    <li>trying relaxation, breathing exercises or mindfulness</li>
                    </ul>
                    <p>Your breast care nurse or cancer team can tell you what to expect
                    from your follow-up care. Knowing the plan can make the waiting
                    feel more manageable.</p>
                """),
            },
            {
                "heading": "When to ask for more help",
                "body": _html(f"""
                    <p>Talk to your GP or your cancer team if the fear stops you
                    sleeping, enjoying life or doing everyday things. Speak to them too
                    if you feel low or anxious most days.</p>
                    <p>They can suggest support such as counselling. In England you can
                    also refer yourself to NHS Talking Therapies.</p>
                    <p>If you have been told the cancer has spread, our information
                    about <a href="{SECONDARY}">secondary breast cancer</a> includes
                    where to find support.</p>
                    <p>If you ever feel you cannot cope, or you have thoughts of harming
                    yourself, call Samaritans free on 116 123 at any time, or go to
                    A&amp;E.</p>
                """),
            },
        ],
    },
]

# The demo articles go live as approved by the sample clinicians and the sample
# person with lived experience credited on each.
APPROVING_KINDS = ("clinical", "lived_experience")
APPROVAL_COMMENT = "Sample approval of the demo content"
PUBLISH_COMMENT = "Demo content, approved by sample reviewers"

# Sign-ins for trying each role on a development machine: created only when
# settings.DEBUG is on, and never given a password again once created.
DEMO_PASSWORD = "infosite-demo"
USERS = [
    {"username": "editor", "group": "Editors", "is_staff": True, "reviewer": None},
    {
        "username": "clinician",
        "group": "Reviewers",
        "is_staff": False,
        "reviewer": "oncologist",
    },
    {
        "username": "lay-reviewer",
        "group": "Reviewers",
        "is_staff": False,
        "reviewer": "lived_experience",
    },
    {
        "username": "publisher",
        "group": "Publishers",
        "is_staff": True,
        "reviewer": None,
    },
]
EMAIL_DOMAIN = "example.org"
# The demo user who owns the demo articles, and so gets their review reminders.
ARTICLE_OWNER = "editor"

# The house word list the demo starts with (editors keep it in the admin).
HOUSE_WORDS = [
    {
        "phrase": "prior to",
        "alternative": "before",
        "includes_plurals": False,
        "note": "",
    },
    {
        "phrase": "in order to",
        "alternative": "to",
        "includes_plurals": False,
        "note": "",
    },
    {
        "phrase": "commence",
        "alternative": "start",
        "includes_plurals": False,
        "note": "",
    },
    {"phrase": "utilise", "alternative": "use", "includes_plurals": False, "note": ""},
    {
        "phrase": "oncologist",
        "alternative": "cancer doctor (oncologist)",
        "includes_plurals": True,
        "note": "Explain the word the first time you use it.",
    },
    {
        "phrase": "metastasis",
        "alternative": "cancer that has spread (metastasis)",
        "includes_plurals": False,
        "note": "Explain the word the first time you use it.",
    },
]

# Medical words explained: glossary terms in our own words, each approved by the
# sample clinical reviewer before it goes live, and marked where the demo
# articles first use them.
GLOSSARY_APPROVER = "oncologist"
GLOSSARY_REVIEW_DATES = {
    "reviewed_on": date(2025, 10, 1),
    "next_review_on": date(2028, 10, 1),
}
GLOSSARY = [
    {
        "slug": "recurrence",
        "title": "Recurrence",
        "summary": "When cancer comes back after treatment. It can come back in "
        "the same place or in another part of the body.",
        "variants": "recurrences",
        "related": ["breast-cancer-recurrence"],
    },
    {
        "slug": "secondary-breast-cancer-explained",
        "title": "Secondary breast cancer",
        "summary": "Breast cancer that has spread from the breast to other parts of "
        "the body, such as the bones, lungs, liver or brain. It is also called "
        "metastatic or stage 4 breast cancer.",
        "variants": "metastatic breast cancer",
        "related": ["secondary-breast-cancer"],
    },
    {
        "slug": "lymph-nodes",
        "title": "Lymph nodes",
        "summary": "Small glands, about the size of a bean, found all over the "
        "body. They help fight infection. Breast cancer can spread to the lymph "
        "nodes in the armpit.",
        "variants": "lymph node\nlymph glands",
        "related": ["breast-cancer-recurrence"],
    },
    {
        "slug": "mammogram",
        "title": "Mammogram",
        "summary": "An X-ray of the breast. It can find changes that are too small "
        "to see or feel.",
        "variants": "mammograms",
        "related": ["signs-and-symptoms-of-breast-cancer"],
    },
    {
        "slug": "biopsy",
        "title": "Biopsy",
        "summary": "A test where a doctor takes a small sample of tissue, often "
        "with a needle, so it can be looked at under a microscope.",
        "variants": "biopsies",
        "related": ["signs-and-symptoms-of-breast-cancer"],
    },
    {
        "slug": "radiotherapy",
        "title": "Radiotherapy",
        "summary": "A treatment that uses high-energy X-rays to destroy cancer "
        "cells in one part of the body.",
        "variants": "",
        "related": ["breast-cancer-recurrence"],
    },
    {
        "slug": "chemotherapy",
        "title": "Chemotherapy",
        "summary": "A treatment that uses drugs to destroy cancer cells. The drugs "
        "travel through the whole body.",
        "variants": "chemo",
        "related": ["secondary-breast-cancer"],
    },
    {
        "slug": "targeted-therapy",
        "title": "Targeted therapy",
        "summary": "Drugs that find and attack a particular part of cancer cells, "
        "such as a protein that helps them grow.",
        "variants": "targeted therapies",
        "related": ["secondary-breast-cancer"],
    },
]
