"""Word lists for synthetic practices, per language of the region (open-government vocabulary).

The budget words are kept apart (`BUDGET`): the generator plants them in a known share of the
practices so that the "common term" of the benchmark has a known frequency. No other word here
folds to a token that starts with "budget", and none folds to "zvrkgrad" (the rare term).
"""

# Serbian Latin -> Cyrillic, digraphs first (lj, nj, dž).
_LAT2CYR_DIGRAPHS = {"lj": "љ", "nj": "њ", "dž": "џ", "Lj": "Љ", "Nj": "Њ", "Dž": "Џ"}
_LAT2CYR = dict(
    pair.split("=", 1)  # "latin=cyrillic"
    for pair in """
    a=а b=б v=в g=г d=д đ=ђ e=е ž=ж z=з i=и j=ј k=к l=л m=м n=н o=о p=п r=р s=с t=т ć=ћ u=у
    f=ф h=х c=ц č=ч š=ш
    """.split()
)
_LAT2CYR |= {k.upper(): v.upper() for k, v in list(_LAT2CYR.items())}


def to_cyrillic(text: str) -> str:
    """Serbian Latin to Serbian Cyrillic (good enough for synthetic text)."""
    for latin, cyrillic in _LAT2CYR_DIGRAPHS.items():
        text = text.replace(latin, cyrillic)
    return "".join(_LAT2CYR.get(ch, ch) for ch in text)


EN = {
    "nouns": """municipality citizens transparency procurement contracts register portal data
        datasets parliament ministry assembly council commitment consultation petition audit
        report integrity corruption information requests access law regulation services platform
        application schools hospitals courts police environment water infrastructure roads tender
        bids inspection complaints ombudsman youth women minorities mayor officials assets
        declarations lobbying accountability participation monitoring evaluation indicators
        standards training capacity coordination network journalists organisations survey
        feedback website map dashboard spending revenue grants subsidies salaries taxes
        decisions meetings minutes agenda rules oversight procedures beneficiaries licences
        permits companies ownership elections""".split(),
    "phrases": [
        "civil society",
        "action plan",
        "open data",
        "beneficial ownership",
        "public procurement",
        "freedom of information",
        "local self-government",
        "public administration reform",
        "asset declarations",
        "e-services",
        "public hearings",
        "conflict of interest",
        "whistleblower protection",
    ],
    "verbs": """publishes introduced improved monitors reviewed adopted launched strengthened
        engaged trained coordinated opened simplified tracked reduced increased expanded
        digitised evaluated consulted implemented published""".split(),
    "adjectives": """open public local national transparent digital participatory independent
        accessible regional annual municipal electronic inclusive accountable new central civic
        machine-readable free quarterly""".split(),
    "connectors": "of for in with through across by on and to from after within the the a".split(),
}

SQ = {
    "nouns": """bashkia qytetarët transparenca prokurimi kontrata regjistri portali kuvendi
        ministria këshilli angazhimi konsultimi peticioni auditimi raporti integriteti
        korrupsioni informacioni kërkesa qasja ligji rregullorja shërbimi platforma aplikacioni
        shkolla spitali gjykata policia mjedisi uji infrastruktura rrugët tenderi ofertat
        inspektimi ankesa të_rinjtë gratë pakicat kryetari zyrtarët pasuritë deklaratat
        llogaridhënia pjesëmarrja monitorimi vlerësimi treguesi standardi trajnimi kapaciteti
        bashkërendimi rrjeti gazetarët organizatat anketa faqja harta shpenzimet grantet
        subvencionet pagat taksat çështjet zhvillimi përmirësimi vendimmarrja mbikëqyrja
        procedurat lejet licencat zgjedhjet""".split(),
    "phrases": [
        "shoqëria civile",
        "plani i veprimit",
        "të dhënat e hapura",
        "avokati i popullit",
        "e drejta e informimit",
        "qeverisja vendore",
        "reforma e administratës publike",
        "konflikti i interesit",
        "dëgjesat publike",
        "shërbimet elektronike",
    ],
    "verbs": """publikon prezantoi përmirësoi monitoron shqyrtoi miratoi lançoi forcoi
        angazhoi trajnoi bashkërendoi hapi thjeshtoi ndoqi uli rriti zgjeroi dixhitalizoi
        vlerësoi konsultoi zbatoi""".split(),
    "adjectives": """të_hapur publik lokal kombëtar transparent dixhital pjesëmarrës
        të_pavarur të_qasshëm rajonal vjetor komunal elektronik gjithëpërfshirës të_ri
        qendror qytetar falas""".split(),
    "connectors": "e i të për në me nga dhe përmes pas brenda së mbi".split(),
}

SR = {
    "nouns": """opština građani transparentnost nabavke ugovor registar portal podaci
        skupština ministarstvo veće obaveza konsultacije peticija revizija izveštaj integritet
        korupcija informacije zahtev pristup zakon uredba usluga platforma aplikacija škola
        bolnica sud policija voda infrastruktura putevi tender ponude inspekcija žalba mladi žene
        manjine gradonačelnik funkcioneri imovina izjave lobiranje odgovornost učešće praćenje
        evaluacija pokazatelj standard obuka kapacitet koordinacija mreža novinari organizacije
        anketa sajt mapa rashodi prihodi subvencije plate porezi rešenja saradnja nadležnost
        đaci sednice dozvole izbori nadzor postupci""".split(),
    "phrases": [
        "civilno društvo",
        "akcioni plan",
        "otvoreni podaci",
        "javne nabavke",
        "zaštitnik građana",
        "ćutanje uprave",
        "lokalna samouprava",
        "reforma javne uprave",
        "sukob interesa",
        "javna rasprava",
        "elektronske usluge",
        "životna sredina",
    ],
    "verbs": """objavljuje uvela unapredila prati razmotrila usvojila pokrenula ojačala
        uključila obučila koordinisala otvorila pojednostavila smanjila povećala proširila
        digitalizovala ocenila konsultovala sprovela""".split(),
    "adjectives": """otvoreni javni lokalni nacionalni transparentni digitalni nezavisni
        dostupni regionalni godišnji opštinski elektronski inkluzivni novi centralni građanski
        besplatni međuopštinski čitljivi uključivi""".split(),
    "connectors": "i u za sa kroz od na po nakon prema radi između o".split(),
}

MK = {
    "nouns": """општина граѓани транспарентност набавки договор регистар портал податоци
        собрание министерство совет заложба консултации петиција ревизија извештај интегритет
        корупција информации барање пристап закон уредба услуга платформа апликација училиште
        болница суд полиција вода инфраструктура патишта тендер понуди инспекција жалба млади
        жени заедници градоначалник функционери имот изјави лобирање отчетност учество следење
        евалуација показател стандард обука капацитет координација мрежа новинари организации
        анкета мапа расходи приходи субвенции плати даноци соработка ѓаци седници дозволи
        избори надзор постапки""".split(),
    "phrases": [
        "граѓанско општество",
        "акциски план",
        "отворени податоци",
        "јавни набавки",
        "народен правобранител",
        "локална самоуправа",
        "реформа на јавната администрација",
        "судир на интереси",
        "јавна расправа",
        "електронски услуги",
        "животна средина",
    ],
    "verbs": """објавува воведе подобри следи разгледа усвои започна зајакна вклучи обучи
        координира отвори поедностави намали зголеми прошири дигитализира оцени консултира
        спроведе""".split(),
    "adjectives": """отворен јавен локален национален транспарентен дигитален независен
        достапен регионален годишен општински електронски инклузивен нов централен граѓански
        бесплатен меѓуопштински""".split(),
    "connectors": "и во за со преку од на по според меѓу ќе за".split(),
}

BS = {
    "nouns": """općina građani transparentnost nabavke ugovor registar portal podaci skupština
        ministarstvo vijeće obaveza konsultacije peticija revizija izvještaj integritet
        korupcija informacije zahtjev pristup zakon uredba usluga platforma aplikacija škola
        bolnica sud policija okoliš voda infrastruktura ceste tender ponude inspekcija žalba
        ombudsmen mladi žene manjine načelnik zvaničnici imovina izjave lobiranje odgovornost
        učešće praćenje evaluacija pokazatelj standard obuka kapacitet koordinacija mreža
        novinari organizacije anketa stranica mapa rashodi prihodi subvencije plaće porezi
        kantoni sjednice dokumenti dozvole izbori nadzor""".split(),
    "phrases": [
        "civilno društvo",
        "akcioni plan",
        "otvoreni podaci",
        "javne nabavke",
        "mjesne zajednice",
        "lokalna samouprava",
        "reforma javne uprave",
        "sukob interesa",
        "javne konsultacije",
        "elektronske usluge",
    ],
    "verbs": """objavljuje uvela unaprijedila prati razmotrila usvojila pokrenula ojačala
        uključila obučila koordinirala otvorila pojednostavila smanjila povećala proširila
        digitalizirala ocijenila konsultovala provela""".split(),
    "adjectives": """otvoreni javni lokalni državni transparentni digitalni nezavisni dostupni
        kantonalni godišnji općinski elektronski inkluzivni novi centralni građanski besplatni
        entitetski""".split(),
    "connectors": "i u za sa kroz od na po nakon prema radi između o".split(),
}

LANGUAGES = {
    "en": EN,
    "sq": SQ,
    "sr-Latn": SR,
    "sr-Cyrl": {key: [to_cyrillic(w) for w in words] for key, words in SR.items()},
    "mk": MK,
    "bs": BS,
}

# Planted in a known share of practices (the benchmark's common term is the English one).
BUDGET = {
    "en": [
        "budget",
        "budgets",
        "budgeting",
        "budgetary",
        "participatory budgeting",
        "citizens' budget",
        "budget execution",
        "budget transparency",
    ],
    "sq": [
        "buxheti",
        "buxhetit",
        "buxhetimi",
        "buxhetor",
        "buxhetimi pjesëmarrës",
        "buxheti i qytetarëve",
    ],
    "sr-Latn": [
        "budžet",
        "budžeta",
        "budžetski",
        "budžetiranje",
        "participativno budžetiranje",
        "građanski budžet",
    ],
    "mk": [
        "буџет",
        "буџетот",
        "буџетски",
        "буџетирање",
        "партиципативно буџетирање",
        "граѓански буџет",
    ],
    "bs": [
        "budžet",
        "budžeta",
        "budžetski",
        "budžetiranje",
        "participativno budžetiranje",
        "budžet za građane",
    ],
}
BUDGET["sr-Cyrl"] = [to_cyrillic(w) for w in BUDGET["sr-Latn"]]

INSTITUTIONS = {
    "en": [
        "Ministry of Finance",
        "Ministry of Justice",
        "Ministry of Public Administration",
        "Office of the Prime Minister",
        "State Audit Institution",
        "Public Procurement Office",
        "Anti-Corruption Agency",
        "Information Commissioner",
        "Municipality of {place}",
        "City of {place}",
        "National Assembly",
        "Centre for Civic Initiatives {place}",
        "Open Data Institute",
        "Transparency Watch {place}",
        "Institute for Democracy",
    ],
    "sq": [
        "Ministria e Financave",
        "Ministria e Drejtësisë",
        "Bashkia {place}",
        "Komuna e {place}",
        "Kuvendi",
        "Agjencia e Prokurimit Publik",
        "Komisioneri për të Drejtën e Informimit",
        "Zyra e Kryeministrit",
        "Qendra për Nisma Qytetare {place}",
        "Lëvizja Çohu",
    ],
    "sr-Latn": [
        "Ministarstvo finansija",
        "Ministarstvo pravde",
        "Ministarstvo državne uprave i lokalne samouprave",
        "Grad {place}",
        "Opština {place}",
        "Narodna skupština",
        "Kancelarija za javne nabavke",
        "Agencija za sprečavanje korupcije",
        "Poverenik za informacije od javnog značaja",
        "Centar za građanske inicijative",
    ],
    "mk": [
        "Министерство за финансии",
        "Министерство за правда",
        "Министерство за информатичко општество и администрација",
        "Општина {place}",
        "Собрание на Република Северна Македонија",
        "Биро за јавни набавки",
        "Државна комисија за спречување на корупцијата",
        "Агенција за заштита на правото на слободен пристап до информации",
    ],
    "bs": [
        "Ministarstvo finansija",
        "Ministarstvo pravde",
        "Općina {place}",
        "Grad {place}",
        "Parlamentarna skupština",
        "Agencija za javne nabavke",
        "Agencija za prevenciju korupcije",
        "Vijeće ministara",
        "Centar za razvoj {place}",
    ],
}
INSTITUTIONS["sr-Cyrl"] = [
    to_cyrillic(w.replace("{place}", "\0")).replace("\0", "{place}")
    for w in INSTITUTIONS["sr-Latn"]
]

PARTNERS = [
    "UNDP",
    "OSCE Mission",
    "EU Delegation",
    "USAID",
    "GIZ",
    "Council of Europe",
    "Open Government Partnership",
    "World Bank",
    "Westminster Foundation for Democracy",
    "Balkan Investigative Reporting Network",
    "Regional School of Public Administration",
    "Regional Cooperation Council",
    "Sida",
    "Open Society Foundations",
    "Transparency International",
    "Code for All",
    "mySociety",
]

# Places in the local script of each language a country writes in.
PLACES = {
    "AL": [
        "Tiranë",
        "Durrës",
        "Shkodër",
        "Elbasan",
        "Vlorë",
        "Korçë",
        "Fier",
        "Berat",
        "Gjirokastër",
    ],
    "XK": ["Prishtinë", "Prizren", "Pejë", "Gjakovë", "Mitrovicë", "Ferizaj", "Gjilan"],
    "MK": [
        "Скопје",
        "Битола",
        "Куманово",
        "Прилеп",
        "Охрид",
        "Тетово",
        "Велес",
        "Штип",
        "Струмица",
    ],
    "RS": [
        "Beograd",
        "Novi Sad",
        "Niš",
        "Kragujevac",
        "Subotica",
        "Čačak",
        "Kraljevo",
        "Šabac",
        "Užice",
    ],
    "BA": ["Sarajevo", "Banja Luka", "Tuzla", "Mostar", "Zenica", "Bihać", "Brčko", "Bijeljina"],
    "ME": [
        "Podgorica",
        "Nikšić",
        "Bar",
        "Herceg Novi",
        "Cetinje",
        "Budva",
        "Pljevlja",
        "Bijelo Polje",
    ],
    "HR": ["Zagreb", "Split", "Rijeka", "Osijek", "Zadar"],
    "GB": ["London", "Manchester", "Leeds", "Bristol", "Glasgow", "Cardiff"],
    "GE": ["Tbilisi", "Batumi", "Kutaisi", "Rustavi", "Zugdidi"],
    "PL": ["Warszawa", "Kraków", "Gdańsk", "Wrocław", "Poznań", "Łódź"],
}

# The language a practice of each country is written in, with weights (English ~50% overall).
COUNTRY_LANGUAGES = {
    "AL": {"sq": 62, "en": 38},
    "XK": {"sq": 55, "sr-Latn": 7, "en": 38},
    "MK": {"mk": 50, "sq": 12, "en": 38},
    "RS": {"sr-Latn": 32, "sr-Cyrl": 30, "en": 38},
    "BA": {"bs": 45, "sr-Cyrl": 10, "sr-Latn": 7, "en": 38},
    "ME": {"sr-Latn": 62, "en": 38},
    "HR": {"en": 100},
    "GB": {"en": 100},
    "GE": {"en": 100},
    "PL": {"en": 100},
}

# Share of the practices per country: the Western Balkans heavier than the partners.
COUNTRY_WEIGHTS = {
    "AL": 14,
    "BA": 12,
    "XK": 11,
    "ME": 9,
    "MK": 15,
    "RS": 17,
    "HR": 6,
    "GB": 5,
    "GE": 6,
    "PL": 5,
}

# Planted in a known share of practices, so that searches meet what real texts hold: other forms
# of a word (plurals, case endings), host names, e-mail addresses, links, hyphenated and
# slash-joined words (search must cut and stem them the same on every database).
WORD_FORMS = {
    "en": [
        "municipalities",
        "e-municipality",
        "e-Municipality",
        "eMunicipality",
        "bicycle",
        "bicycles",
        "waste collection",
        "www.sarajevo.ba",
        "moja-opstina.mk",
        "info@transparency.example.org",
        "https://data.gov.al/datasets",
        "e-services/e-government",
        "Opština Stari Grad",
        "COVID-19",
    ],
    "sq": [
        "bashkive",
        "bashkisë",
        "qytetarëve",
        "www.tirana.al",
        "e-Albania",
        "transparencën",
        "https://data.gov.al/datasets",
        "info@bashkia.example.al",
    ],
    "sr-Latn": [
        "opštine",
        "opštinama",
        "opštini",
        "otpad",
        "otpada",
        "www.beograd.rs",
        "e-Uprava",
        "moja-opština.rs",
        "www.sarajevo.ba",
    ],
    "mk": [
        "општината",
        "општините",
        "отпадот",
        "www.skopje.gov.mk",
        "moja-opstina.mk",
        "е-Општина",
    ],
    "bs": [
        "općine",
        "općinama",
        "otpada",
        "www.sarajevo.ba",
        "e-Općina",
        "info@opcina.example.ba",
    ],
}
WORD_FORMS["sr-Cyrl"] = [w if w.isascii() else to_cyrillic(w) for w in WORD_FORMS["sr-Latn"]]
