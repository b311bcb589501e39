"""The actors of current affairs in the knowledge base: armed and political groups, government
bodies, media, companies, parties, cities and seats of government.

Each entry is tested the way it is used: a real sentence that names it, run through the
extractor, must yield the entity with its id and type. The sentences are quoted (each under
40 words; a sentence or a contiguous part of one) from the UN General Debate Corpus (``ungd``: the
speech's file name) and from the news corpus (``news``: its document id), both in
``../shared/corpus``; ``test_quotes_are_real`` checks them against it where it is present.
Sentences written for this test check that a name with other readings is not read as the entity.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest

from kg.extract.extractor import Extractor
from kg.extract.kb import EntityDataError, Fact, KnowledgeBase, load_kb
from kg.model import Document, Mention
from kg.resources import ENTITY_DATA_DIR
from kg.vocab import relation_signatures

ACTOR_FILES = ("groups.json", "government.json", "media.json", "companies.json", "parties.json", "places.json")


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_kb()


@pytest.fixture(scope="module")
def extractor(kb: KnowledgeBase) -> Extractor:
    return Extractor(kb, relations=())


def mentions(extractor: Extractor, text: str) -> list[Mention]:
    return list(extractor.extract(Document(id="test/actors", text=text, source="test")).mentions)


def found(extractor: Extractor, text: str, surface: str) -> list[Mention]:
    """The mentions whose text is ``surface`` (curly and straight apostrophes alike)."""
    key = surface.replace("’", "'")
    return [m for m in mentions(extractor, text) if m.text.replace("’", "'") == key]


# (source, sentence, surface, entity id, type)
REAL = [
    # groups.json
    ("ungd ISR_77_2022", "Iran funds Hamas and Islamic Jihad and is behind mass terrorist attacks, from Bulgaria to "
     "Buenos Aires.", "Hamas", "org/hamas", "Organization"),
    ("ungd ISR_77_2022", "Iran funds Hamas and Islamic Jihad and is behind mass terrorist attacks, from Bulgaria to "
     "Buenos Aires.", "Islamic Jihad", "org/palestinian-islamic-jihad", "Organization"),
    ("news sd-2022-07-18-remembering-the-victims-of-hizballah-att", "The two Hizballah attacks, carried out with "
     "Iranian support, devastated hundreds of families.", "Hizballah", "org/hezbollah", "Organization"),
    ("ungd ISR_75_2020", "And here, Hezbollah is keeping a secret arms depot.", "Hezbollah", "org/hezbollah", "Organization"),
    ("ungd YEM_78_2023", "Today I do not believe that the Government has any further time or concessions to offer to "
     "convince the Houthi militias to change their position.", "Houthi", "org/houthis", "Organization"),
    ("ungd ARE_73_2018", "At the same time as we are acting to counter the Houthis in the north of Yemen, my country will "
     "continue its fight against Al-Qaida in the Arabian Peninsula.", "Houthis", "org/houthis", "Organization"),
    ("ungd ARE_73_2018", "At the same time as we are acting to counter the Houthis in the north of Yemen, my country will "
     "continue its fight against Al-Qaida in the Arabian Peninsula.", "Al-Qaida in the Arabian Peninsula",
     "org/al-qaida-in-the-arabian-peninsula", "Organization"),
    ("news sd-2022-04-03-reported-massacre-in-mali", "We are concerned that many reports suggest that the perpetrators "
     "were unaccountable forces from the Kremlin-backed Wagner Group.", "Wagner Group", "org/wagner-group", "Organization"),
    ("news sd-2022-02-03-an-important-milestone-in-the-campaign-a", "Al-Qurayshi, also known as Hajji Abdallah, took "
     "over ISIS in October 2019 after years of serving as a senior leader in the terrorist organization.", "ISIS",
     "org/islamic-state-in-iraq-and-the-levant", "Organization"),
    ("ungd UGA_75_2020", "In our own region, terrorist groups such as Al-Shabaab, Boko Haram, the Islamic State in Iraq "
     "and the Sham, Al-Qaida and the Allied Democratic Forces continue to be a threat to our common security and "
     "development.", "Islamic State in Iraq and the Sham", "org/islamic-state-in-iraq-and-the-levant", "Organization"),
    ("ungd UGA_75_2020", "In our own region, terrorist groups such as Al-Shabaab, Boko Haram, the Islamic State in Iraq "
     "and the Sham, Al-Qaida and the Allied Democratic Forces continue to be a threat to our common security and "
     "development.", "Allied Democratic Forces", "org/allied-democratic-forces", "Organization"),
    ("news sd-2022-02-09-rewards-for-justice-reward-offer-for-inf", "ISIS-K claimed responsibility for the attack.",
     "ISIS-K", "org/islamic-state-khorasan-province", "Organization"),
    ("news sd-2021-08-07-designations-of-isis-mozambique-jnim-and", "He is also charged with the oversight of JNIM in "
     "Burkina Faso and is an explosives expert and instructor.", "JNIM", "org/jama-at-nusrat-al-islam-wal-muslimin",
     "Organization"),
    ("news sd-2021-06-02-rewards-for-justice-reward-offer-for-inf", "Al-Anabi has also served as AQIM’s Media Chief.",
     "AQIM", "org/al-qaida-in-the-islamic-maghreb", "Organization"),
    ("news sd-2021-08-07-designations-of-isis-mozambique-jnim-and", "Abdikadir had also directed previous attack "
     "planning for al-Shabaab.", "al-Shabaab", "org/al-shabaab", "Organization"),
    ("news sd-2022-02-03-designation-of-an-indonesia-based-organi", "MMI has also been linked to the al-Qa’ida-linked "
     "Hay’at Tahrir al-Sham in Syria, another designated terrorist group.", "Hay’at Tahrir al-Sham",
     "org/hay-at-tahrir-al-sham", "Organization"),
    ("news sd-2022-02-25-additional-general-license-involving-afg", "To be clear, sanctions on the Taliban remain in "
     "place.", "Taliban", "org/taliban", "Organization"),
    ("ungd SDN_78_2023", "Therefore, this war cannot be characterized as a war between the armed forces and the Rapid "
     "Support Forces.", "Rapid Support Forces", "org/rapid-support-forces", "Organization"),
    ("ungd COD_70_2015", "Finally, after the defeat of the Mouvement du 23 mars and the surrender of several rebel "
     "groups, the Democratic Republic of the Congo wishes to consolidate the new-found peace and return to normal life.",
     "Mouvement du 23 mars", "org/march-23-movement", "Organization"),
    ("ungd TUR_75_2020", "As the country that struck the first and most serious blow against DAESH in the region, we "
     "continue to fight against the PKK-YPG terrorist organization.", "PKK", "org/kurdistan-workers-party",
     "Organization"),
    ("ungd TUR_75_2020", "As the country that struck the first and most serious blow against DAESH in the region, we "
     "continue to fight against the PKK-YPG terrorist organization.", "YPG", "org/people-s-defense-units",
     "Organization"),
    ("ungd SYR_74_2019", "In that regard, I would like to briefly mention the terrorist, criminal and aggressive "
     "practices of the secessionist militias known as the Syrian Democratic Forces against Syrians in Hasakah, Raqqa and "
     "Deir ez-Zor governorates.", "Syrian Democratic Forces", "org/syrian-democratic-forces", "Organization"),
    ("ungd IND_72_2017", "It has produced terrorists and terrorist camps — Lashkar-e-Tayyiba, Jaish-e-Mohammed, Hizbul "
     "Mujahideen and the Haqqani Network.", "Lashkar-e-Tayyiba", "org/lashkar-e-taiba", "Organization"),
    ("ungd IND_72_2017", "It has produced terrorists and terrorist camps — Lashkar-e-Tayyiba, Jaish-e-Mohammed, Hizbul "
     "Mujahideen and the Haqqani Network.", "Jaish-e-Mohammed", "org/jaish-e-mohammed", "Organization"),
    ("ungd PAK_78_2023", "Pakistan condemns the cross-border terrorist attacks against Pakistan by the "
     "Tehrik-e-Taliban Pakistan.", "Tehrik-e-Taliban Pakistan", "org/tehrik-i-taliban-pakistan", "Organization"),
    ("ungd ERI_76_2021", "But the TPLF group could not accept and fathom the present realities.", "TPLF",
     "org/tigray-people-s-liberation-front", "Organization"),
    ("ungd SYR_77_2022", "Israel has added a new chapter to its black record by supporting Da’esh and the Al-Nusra "
     "Front.", "Al-Nusra Front", "org/al-nusra-front", "Organization"),
    ("ungd IRQ_72_2017", "All branches of the Iraqi Armed Forces, the Iraqi police, the Popular Mobilization Forces, "
     "the Peshmerga forces and other anti-terrorist forces contributed to this historic victory.",
     "Popular Mobilization Forces", "org/popular-mobilization-forces", "Organization"),
    ("ungd NOR_77_2022", "The ELN also seems inclined to renew dialogue.", "ELN", "org/national-liberation-army-colombia",
     "Organization"),
    ("ungd MMR_75_2020", "Both the terrorist group ARSA and the terrorist insurgent group AA have used Bangladeshi "
     "territory as a sanctuary.", "ARSA", "org/arakan-rohingya-salvation-army", "Organization"),
    # government.json
    ("news sd-2022-05-25-targeting-an-oil-smuggling-network-suppo", "We will not hesitate to target those who provide "
     "critical support for the IRGC or Hizballah and facilitate their access to the international financial system.",
     "IRGC", "org/islamic-revolutionary-guard-corps", "Organization"),
    ("news sd-2022-05-25-targeting-an-oil-smuggling-network-suppo", "The IRGC-QF was designated pursuant to E.O.",
     "IRGC-QF", "org/quds-force", "Organization"),
    ("news sd-2022-03-25-rewards-for-justice-reward-offer-for-inf", "These officers were members of an FSB component "
     "known as Center 16", "FSB", "org/federal-security-service", "Organization"),
    ("news wp-organisation-for-the-prohibition-of-chem", "On 13 April 2018, the OPCW became the target of an attempted "
     "cyberattack by Russian GRU agents.", "GRU", "org/gru", "Organization"),
    ("news wp-nato", "The Russian Foreign Ministry drafted a treaty that would forbid Ukraine or any former Soviet state "
     "from ever joining NATO.", "Russian Foreign Ministry", "org/ministry-of-foreign-affairs-of-the-russian-federation",
     "Organization"),
    ("news wp-quadrilateral-security-dialogue", "However the Chinese Foreign Ministry appeared to defend the ambassador "
     "with Hua Chunying stating that “We all know what kind of mechanism the Quad is.", "Chinese Foreign Ministry",
     "org/ministry-of-foreign-affairs-of-the-people-s-republic-of-china", "Organization"),
    ("news sd-2022-03-16-1-billion-in-new-u-s-security-assistance", "This authorization is the fifth drawdown of "
     "equipment from Department of Defense inventories for Ukraine in the last 6 months.", "Department of Defense",
     "org/united-states-department-of-defense", "Organization"),
    ("ungd RUS_77_2022", "the hundreds of military biological programmes that the Pentagon has around the world, "
     "including along Russia’s borders and throughout Eurasia.", "Pentagon", "org/united-states-department-of-defense",
     "Organization"),
    ("news sd-2021-06-02-rewards-for-justice-reward-offer-for-inf", "The U.S. Department of State designated the group "
     "as a Foreign Terrorist Organization on March 27, 2002.", "U.S. Department of State",
     "org/united-states-department-of-state", "Organization"),
    ("news sd-2022-02-03-designation-of-an-indonesia-based-organi", "For more information on today’s action, please "
     "see the Department of the Treasury’s press release.", "Department of the Treasury",
     "org/united-states-department-of-the-treasury", "Organization"),
    ("news sd-2022-04-20-promoting-accountability-for-human-right", "OFAC also designated companies operating in "
     "Russia’s virtual currency mining industry, reportedly the third-largest in the world.", "OFAC",
     "org/office-of-foreign-assets-control", "Organization"),
    ("ungd HND_76_2021", "Later, in September 2014, the FBI and the United States Embassy in Tegucigalpa informed my "
     "Government and me personally about the Mexican hitmen and their Honduran sponsors’ imminent plans to kill me",
     "FBI", "org/federal-bureau-of-investigation", "Organization"),
    ("news sd-2022-06-24-secretary-antony-j-blinken-during-the-un", "We have $5.5 billion in new funding for global "
     "food security and humanitarian assistance approved last month by the United States Congress.",
     "United States Congress", "org/united-states-congress", "Organization"),
    ("news sd-2021-05-21-deputy-secretary-shermans-travel-to-belg", "Finally, in Honolulu, Deputy Secretary Sherman "
     "will meet with officials at INDOPACOM to discuss U.S. strategy in the Indo-Pacific.", "INDOPACOM",
     "org/united-states-indo-pacific-command", "Organization"),
    ("news sd-2022-04-03-reported-massacre-in-mali", "Other reports claim the Malian Armed Forces (FAMa) had targeted "
     "elements of known violent extremist groups.", "Malian Armed Forces", "org/malian-armed-forces", "Organization"),
    ("ungd TLS_77_2022", "The Tatmadaw cannot claim it is defending itself from external aggression.", "Tatmadaw",
     "org/tatmadaw", "Organization"),
    ("news sd-2022-04-20-promoting-accountability-for-human-right", "Today’s action includes Duma members who have been "
     "involved in repressing independent media.", "Duma", "org/state-duma", "Organization"),
    ("ungd PSE_77_2022", "Those terrorist organizations are led by members of the Israeli Knesset, the Israeli "
     "authority.", "Israeli Knesset", "org/knesset", "Organization"),
    ("ungd ARG_78_2023", "The International Monetary Fund cannot raise its interest rates every time the United States "
     "Federal Reserve raises its rates to contain inflation in that country.", "Federal Reserve", "org/federal-reserve",
     "Organization"),
    # media.json
    ("ungd LVA_73_2018", "I call on the Myanmar authorities to free the two Reuters journalists Kyaw Soe Oo and Wa Lone.",
     "Reuters", "org/reuters", "Organization"),
    ("news wp-ecowas", "According to the BBC, since 1990, 78% of the 27 coups in sub-Saharan Africa have taken place in "
     "former French colonies.", "BBC", "org/bbc", "Organization"),
    ("news wp-collective-security-treaty-organization", "In an interview with CNN broadcast on 1 June 2023, Pashinyan "
     "stated that \"Armenia is not an ally of Russia in the war in Ukraine\".", "CNN", "org/cnn", "Organization"),
    ("news wp-aukus", "The New York Times also reported that Australia first approached the UK for assistance.",
     "New York Times", "org/new-york-times", "Organization"),
    ("news wp-aukus", "The Wall Street Journal reported Australia approached the US in April 2021.",
     "Wall Street Journal", "org/wall-street-journal", "Organization"),
    ("news wp-asian-infrastructure-investment-bank", "A US government official told Financial Times, \"We are wary about "
     "a trend toward constant accommodation of China, which is not the best way to engage a rising power.\"",
     "Financial Times", "org/financial-times", "Organization"),
    ("news wp-quadrilateral-security-dialogue", "South China Morning Post reported this as the first instance of naval "
     "exercises to involve all four Quad members.", "South China Morning Post", "org/south-china-morning-post",
     "Organization"),
    ("ungd ARM_74_2019", "In recognition of our democratic achievements, The Economist magazine proclaimed Armenia "
     "“country of the year” in 2018.", "The Economist", "org/the-economist", "Organization"),
    ("news wp-aukus", "Axios reported that the Biden administration sought assurances from Australia that cancelling "
     "the contract was not dependent on the US providing them with assistance", "Axios", "org/axios", "Organization"),
    # companies.json
    ("news wp-collective-security-treaty-organization", "Subsequently, the Russian television channel NTV, run by "
     "Gazprom, aired a documentary film which compared Lukashenko to Bakiyev.", "Gazprom", "org/gazprom", "Organization"),
    ("news wp-alliance-of-sahel-states", "Rosatom also pledged scholarships and technical support, aiming to address "
     "Burkina Faso's severe electricity shortage.", "Rosatom", "org/rosatom", "Organization"),
    ("news crs-IF10491v14", "In 2018, the Australian parliament passed laws on espionage, foreign interference, and "
     "foreign influence, and the government blocked China's Huawei from participating in Australia's development of "
     "its 5G mobile network.", "Huawei", "org/huawei", "Organization"),
    ("news crs-IF12608v18", "Lockheed Martin holds both licenses.", "Lockheed Martin", "org/lockheed-martin",
     "Organization"),
    ("ungd DNK_74_2019", "The Getting to Zero Coalition, which includes the Danish shipping company Maersk and other "
     "partners, illustrates how shipping is showing leadership.", "Maersk", "org/a-p-moller-maersk", "Organization"),
    ("news wp-brics", "The Central Bank of Russia highlighted the main benefits as backup and redundancy in case there "
     "were disruptions to the SWIFT system.", "SWIFT",
     "org/society-for-worldwide-interbank-financial-telecommunication", "Organization"),
    ("news sd-2021-06-02-rewards-for-justice-reward-offer-for-inf", "We encourage anyone with information on Abu "
     "Ubaydah Yusuf al-Anabi to text Rewards for Justice via Signal, Telegram, or WhatsApp at +1-202-702-7843.",
     "Telegram", "org/telegram", "Organization"),
    ("news sd-2022-06-16-targeting-a-sanctions-evasion-network-su", "for facilitating the sale of Iranian "
     "petrochemical and petroleum products worth hundreds of millions of dollars from the National Iranian Oil Company "
     "to foreign customers, including in the PRC.", "National Iranian Oil Company", "org/national-iranian-oil-company",
     "Organization"),
    ("news wp-alba", "Venezuela began to deliver about 96,000 barrels of oil per day from its state-owned oil company, "
     "PDVSA, to Cuba at very favorable prices.", "PDVSA", "org/petroleos-de-venezuela", "Organization"),
    # parties.json
    ("ungd PAK_76_2021", "Sadly, the BJP government has intensified repression in Kashmir and continues to vitiate the "
     "environment by these barbaric acts.", "BJP", "party/bharatiya-janata-party", "PoliticalParty"),
    ("ungd MMR_75_2020", "When the NLD civilian Government took office in March 2016, it identified key priorities to be "
     "addressed.", "NLD", "party/national-league-for-democracy", "PoliticalParty"),
    ("ungd PRK_76_2021", "As the supreme principle of its activities, the Workers’ Party of Korea invariably upholds its "
     "duty to provide the Korean people with a stable life and to steadily improve it.", "Workers’ Party of Korea",
     "party/workers-party-of-korea", "PoliticalParty"),
    ("news wp-shanghai-cooperation-organisation", "The SCO+ forum format was initiated by the United Russia party in "
     "October 2020.", "United Russia", "party/united-russia", "PoliticalParty"),
    ("ungd ISR_71_2016", "That same Israel where gays march proudly in our streets and serve in our Parliament, "
     "including, I am proud to say, in my own Likud party.", "Likud", "party/likud", "PoliticalParty"),
    ("news wp-asian-infrastructure-investment-bank", "Pickard said that the AIIB was dominated by Chinese Communist "
     "Party (CCP) members who operate as an in-house secret police.", "Chinese Communist Party",
     "party/communist-party-of-china", "PoliticalParty"),
    ("news wp-asian-infrastructure-investment-bank", "He also claimed that all information going to AIIB's president, "
     "Jin Liqun, was filtered through those CCP officials, whose offices were the closest to Jin.", "CCP",
     "party/communist-party-of-china", "PoliticalParty"),
    # places.json
    ("ungd PSE_73_2018", "He then announced his recognition of Jerusalem as the capital of Israel and moved his "
     "country’s Embassy from Tel Aviv to Jerusalem.", "Tel Aviv", "place/tel-aviv", "Place"),
    ("ungd FRA_78_2023", "In Mosul and Timbuktu yesterday, in Odesa and Lviv today, everywhere.", "Odesa", "place/odesa",
     "Place"),
    ("ungd FRA_78_2023", "In Mosul and Timbuktu yesterday, in Odesa and Lviv today, everywhere.", "Mosul", "place/mosul",
     "Place"),
    ("news sd-2022-04-20-promoting-accountability-for-human-right", "The world has witnessed the horrors of this war in "
     "the images from the Ukrainian towns of Bucha, Irpin, and Hostomel, and in Ukrainian towns and cities still "
     "occupied or under siege, such as Mariupol.", "Mariupol", "place/mariupol", "Place"),
    ("ungd POL_77_2022", "They were shot down in Katyn, Mednoye, Kharkiv and Tver.", "Kharkiv", "place/kharkiv", "Place"),
    ("ungd FRA_72_2017", "I have heard Bana, who lives in Aleppo and whose voice I want to bring here.", "Aleppo",
     "place/aleppo", "Place"),
    ("ungd COD_74_2019", "The new response strategy is beginning to have an impact, particularly in the city of Goma, "
     "which is now immune to the virus.", "Goma", "place/goma", "Place"),
    ("ungd DJI_78_2023", "We welcome the crucial decision taken at the twenty-seventh Conference of the Parties to the "
     "United Nations Framework Convention on Climate Change, in Sharm El-Sheikh, to create a loss and damage fund.",
     "Sharm El-Sheikh", "place/sharm-el-sheikh", "Place"),
    ("ungd IND_70_2015", "The world shared our outrage at the 2008 Mumbai terror attacks, in which citizens of many "
     "nations were helplessly butchered.", "Mumbai", "place/mumbai", "Place"),
    ("ungd IND_71_2016", "Did we impose any preconditions when Prime Minister Modi travelled from Kabul to Lahore?",
     "Lahore", "place/lahore", "Place"),
    ("news wp-economic-cooperation-organization", "Its headquarters is in Istanbul (Turkey) and representative offices "
     "are in Karachi (Pakistan) and Tehran (Iran).", "Karachi", "place/karachi", "Place"),
    ("news wp-organization-of-turkic-states", "The General Secretariat is located in Turkey's Istanbul.", "Istanbul",
     "place/istanbul", "Place"),
    ("news wp-organization-for-security-and-co-operati", "The organization also has offices in Copenhagen, Geneva, The "
     "Hague, Prague and Warsaw.", "Geneva", "place/geneva", "Place"),
    ("ungd BRA_74_2019", "In January, we were in Davos, where we presented our ambitious reform programme for investors "
     "from all around the world.", "Davos", "place/davos", "Place"),
    ("news wp-shanghai-cooperation-organisation", "The SCO is the successor to the Shanghai Five, formed in 1996 between "
     "China, Kazakhstan, Kyrgyzstan, Russia, and Tajikistan.", "Shanghai", "place/shanghai", "Place"),
    ("ungd SAU_78_2023", "Ukraine was invited to attend the thirty-second session of the League of Arab States Summit "
     "held in Jeddah.", "Jeddah", "place/jeddah", "Place"),
    ("ungd LBY_70_2015", "Furthermore, they have facilitated the arrival of foreign fighters in Benghazi,", "Benghazi",
     "place/benghazi", "Place"),
    ("ungd SWE_76_2021", "We continue to unequivocally denounce Russia’s illegal annexation of Crimea and Sevastopol.",
     "Sevastopol", "place/sevastopol", "Place"),
    ("news wp-brics", "The 2020 BRICS summit was held virtually in St. Petersburg, Russia, and discussed how to handle "
     "the COVID-19 pandemic", "St. Petersburg", "place/saint-petersburg", "Place"),
    ("news crs-R48903v3", "The top U.S. ports loading these products to the region are New York, Savannah, Norfolk, "
     "and New Orleans.", "New York", "place/new-york-city", "Place"),
    # seats of government (countries.json): forms of their country
    ("news sd-2022-03-09-the-kremlins-allegations-of-chemical-and", "The Kremlin is intentionally spreading outright "
     "lies that the United States and Ukraine are conducting chemical and biological weapons activities in Ukraine.",
     "Kremlin", "country/RUS", "Country"),
    ("ungd EU_77_2022", "The Kremlin launched a war against the Ukrainian people.", "Kremlin", "country/RUS", "Country"),
    ("news sd-2022-04-20-promoting-accountability-for-human-right", "We will ensure that the sanctions we have imposed in "
     "close coordination with our international partners degrade the Kremlin’s ability to project power and fund its "
     "war of aggression.", "Kremlin", "country/RUS", "Country"),
    ("news crs-IN12678v4", "A White House spokesperson said on April 8 that \"The President's red lines, namely the end "
     "of Iranian enrichment in Iran, have not changed.\"", "White House", "country/USA", "Country"),
    ("news sd-2022-05-17-promoting-accountability-for-war-crimes", "In March, the White House announced at least $320 "
     "million in funds for EDRI to bolster democratic resilience", "White House", "country/USA", "Country"),
]


@pytest.mark.parametrize(("source", "sentence", "surface", "entity_id", "type_"), REAL, ids=[c[2] for c in REAL])
def test_real_sentence_names_the_entity(
    extractor: Extractor, source: str, sentence: str, surface: str, entity_id: str, type_: str
) -> None:
    assert len(sentence.split()) <= 40
    readings = [(m.entity.id, m.entity.type) for m in found(extractor, sentence, surface)]
    assert (entity_id, type_) in readings, f"{source}: {surface!r} read as {readings}"


CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.skipif(not (CORPUS / "news" / "corpus.jsonl").is_file(), reason="no shared corpus next to this checkout")
def test_quotes_are_real() -> None:
    news = {}
    for line in (CORPUS / "news" / "corpus.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        news[record["id"]] = record["text"]
    for source, sentence, *_ in REAL:
        kind, name = source.split()
        if kind == "ungd":
            text = (CORPUS / "ungd" / name.rsplit("_", 1)[1] / f"{name}.txt").read_text(encoding="utf-8")
        else:
            text = news[name]
        assert _flat(sentence) in _flat(text), (source, sentence)


def test_fatah_after_a_possessive(extractor: Extractor) -> None:
    # ungd ISR_71_2016
    sentence = "Ali checks his Facebook, and he sees a recent post by President Abbas’ Fatah party."
    assert "party/fatah" in {m.entity.id for m in mentions(extractor, sentence)}


def test_every_actor_file_is_tested_on_real_text(kb: KnowledgeBase) -> None:
    tested = {kb_file(kb, case[3]) for case in REAL}
    assert set(ACTOR_FILES) | {"countries.json"} <= tested


def kb_file(kb: KnowledgeBase, entity_id: str) -> str:
    """The data file an entity comes from: countries.json, one of ACTOR_FILES, or "other"."""
    if entity_id.startswith("country/"):
        return "countries.json"
    return _actor_files().get((kb.get(entity_id).type, kb.get(entity_id).label), "other")


@functools.cache
def _actor_files() -> dict[tuple[str, str], str]:
    files = {}
    for name in ACTOR_FILES:
        data = json.loads((ENTITY_DATA_DIR / name).read_text(encoding="utf-8"))
        files.update({(data["type"], entry["label"]): name for entry in data["entities"]})
    return files


# --- names with other readings (sentences written for this test) --------------------------

NOT_THE_ENTITY = [
    ("Alex Saab was extradited to the United States.", "Saab", "org/saab-ab"),
    ("Russia offered to build a laboratory to produce Sputnik V vaccines.", "Sputnik", "org/sputnik"),
    ("Richard Wagner wrote the Ring cycle.", "Wagner", "org/wagner-group"),
    ("The AP exam results came out in July.", "AP", "org/associated-press"),
    ("Politico-military dimension (first dimension)", "Politico", "org/politico"),
    ("The seventh Congress of Leaders of World and Traditional Religions met in Astana.", "Congress",
     "org/united-states-congress"),
    ("The Philippine Department of Energy (DOE) approved the plan.", "DOE", "org/united-states-department-of-energy"),
    ("The trials showed the commitment of the Sudanese People's Liberation Army in Opposition.",
     "People's Liberation Army", "org/people-s-liberation-army"),
    ("The Guardian Council vetted the candidates.", "The Guardian", "org/the-guardian"),
    ("Pirates operated in the Gulf of Aden.", "Aden", "place/aden"),
    ("The Istanbul Declaration was adopted in 2011.", "Istanbul", "place/istanbul"),
    ("Israel respects the Fourth Geneva Convention, it said.", "Geneva", "place/geneva"),
    ("I read it in the New York Times.", "New York", "place/new-york-city"),
    ("The leaders met for a dinner at the White House.", "White House", "country/USA"),
    ("Talks were held inside the Kremlin walls.", "Kremlin", "country/RUS"),
]


@pytest.mark.parametrize(("sentence", "surface", "entity_id"), NOT_THE_ENTITY, ids=[c[1] for c in NOT_THE_ENTITY])
def test_other_readings_are_not_the_entity(extractor: Extractor, sentence: str, surface: str, entity_id: str) -> None:
    start = sentence.index(surface)
    overlapping = [m for m in mentions(extractor, sentence) if m.start < start + len(surface) and start < m.end]
    assert entity_id not in {m.entity.id for m in overlapping}


@pytest.mark.parametrize(
    ("text", "short", "entity_id"),
    [
        ("Fighting broke out between the army and the Rapid Support Forces. The RSF took the airport.", "RSF",
         "org/rapid-support-forces"),
        ("Reporters Without Borders ranks press freedom. The RSF index fell.", "RSF", "org/reporters-without-borders"),
        ("The U.S. Congress passed the bill. Congress also approved funding.", "Congress", "org/united-states-congress"),
        ("Japan Self-Defense Forces joined the drill, and the SDF sent two ships.", "SDF", "org/japan-self-defense-forces"),
        ("The Wagner Group deployed to Mali. Wagner fighters were accused of abuses.", "Wagner", "org/wagner-group"),
    ],
)
def test_an_ambiguous_short_name_follows_the_full_name(extractor: Extractor, text: str, short: str, entity_id: str) -> None:
    assert {m.entity.id for m in found(extractor, text, short)} == {entity_id}


def test_seats_are_forms_of_their_country(kb: KnowledgeBase) -> None:
    for text, code in [("Kremlin", "RUS"), ("White House", "USA"), ("Downing Street", "GBR"), ("Zhongnanhai", "CHN"),
                       ("Élysée Palace", "FRA"), ("Blue House", "KOR")]:
        (form,) = kb.lookup(text)
        assert (form.entity_id, form.kind, form.ambiguous) == (f"country/{code}", "seat", False)
    assert kb.find("Kremlin") is None  # a seat is not a name of the country
    pentagon = kb.lookup("Pentagon")[0]
    assert (pentagon.entity_id, pentagon.kind) == ("org/united-states-department-of-defense", "alias")


def test_seat_read_as_the_state_is_marked_so(extractor: Extractor) -> None:
    (kremlin,) = found(extractor, "The Kremlin denied the report.", "Kremlin")
    assert (kremlin.entity.id, kremlin.method) == ("country/RUS", "gazetteer:seat")


def test_capitals_are_not_places(kb: KnowledgeBase) -> None:
    capitals = {capital for entity in kb.entities.values() for capital in entity.capitals}
    places = [e for e in kb.entities.values() if e.type == "Place"]
    assert places and not capitals & {name for e in places for name in (e.label, *e.aliases)}


# --- the data: sources, countries of bodies and places ----------------------------------


def test_actor_entries_have_a_source() -> None:
    for name in ACTOR_FILES:
        for entry in json.loads((ENTITY_DATA_DIR / name).read_text(encoding="utf-8"))["entities"]:
            assert entry.get("source", "").startswith("https://"), (name, entry["label"])


def test_government_bodies_name_their_state(kb: KnowledgeBase) -> None:
    entries = json.loads((ENTITY_DATA_DIR / "government.json").read_text(encoding="utf-8"))["entities"]
    assert all("of_country" in entry for entry in entries)
    assert kb.state_of["org/islamic-revolutionary-guard-corps"] == "country/IRN"
    assert kb.state_of["org/united-states-department-of-defense"] == "country/USA"
    assert Fact("org/federal-security-service", "locatedIn", "country/RUS") in kb.facts
    assert "org/gazprom" not in kb.state_of  # a company is based in a state, not an organ of it
    assert Fact("org/gazprom", "locatedIn", "country/RUS") in kb.facts


def test_actor_facts_fit_the_ontology(kb: KnowledgeBase) -> None:
    """Every fact about a new actor has a subject and object of the types its property allows."""
    signatures = relation_signatures()
    actors = {e.id for e in kb.entities.values() if kb_file(kb, e.id) in ACTOR_FILES}
    for fact in kb.facts:
        if fact.subject in actors:
            domain, range_ = signatures[fact.predicate]
            assert kb.get(fact.subject).type in domain and kb.get(fact.object).type in range_, fact


def test_places_know_their_country(kb: KnowledgeBase) -> None:
    facts = set(kb.facts)
    assert Fact("place/rafah", "locatedIn", "country/PSE") in facts
    assert Fact("place/rafah", "locatedIn", "region/gaza-strip") in facts
    assert Fact("place/kharkiv", "locatedIn", "country/UKR") in facts
    assert kb.get("place/tel-aviv").type == "Place"


# --- the loader's rules for these fields -------------------------------------------------


def write(tmp_path: Path, type_: str, entities: list[dict], countries: dict | None = None) -> Path:
    """A data folder of its own (load_kb caches by folder)."""
    folder = tmp_path / str(len(list(tmp_path.iterdir())))
    folder.mkdir()
    (folder / "countries.json").write_text(json.dumps(countries or {}), encoding="utf-8")
    (folder / "data.json").write_text(json.dumps({"type": type_, "entities": entities}), encoding="utf-8")
    return folder


def test_loader_reads_seats_bodies_places_and_parties(tmp_path: Path) -> None:
    kb = load_kb(write(tmp_path, "Place", [{"label": "Alpha Town", "located_in": ["FRA"], "source": "https://example.org/a"}],
                       {"FRA": {"seats": ["Palace of Alpha"]}}))
    assert [(f.entity_id, f.kind) for f in kb.lookup("Palace of Alpha")] == [("country/FRA", "seat")]
    assert kb.get("place/alpha-town").type == "Place"
    kb = load_kb(write(tmp_path, "Organization", [{"label": "Alpha Agency", "of_country": "FRA"}]))
    assert kb.state_of == {"org/alpha-agency": "country/FRA"}
    kb = load_kb(write(tmp_path, "PoliticalParty", [{"label": "Alpha", "acronyms": ["AP"]}]))
    assert kb.lookup("AP")[0].entity_id == "party/alpha"


@pytest.mark.parametrize(
    ("type_", "entry", "message"),
    [
        ("Place", {"label": "Alpha Town"}, "'Alpha Town': a Place needs its country"),
        ("Place", {"label": "Alpha Town", "located_in": ["region/x"]}, "unknown entity 'region/x'"),
        ("Organization", {"label": "Alpha", "of_country": ["FRA"]}, "'of_country' must be the ISO alpha-3 code"),
        ("Organization", {"label": "Alpha", "of_country": "XYZ"}, "'of_country' must be the ISO alpha-3 code"),
        ("Organization", {"label": "Alpha", "source": "Wikipedia"}, "'source' must be one URL"),
        ("Organization", {"label": "Alpha", "seat": ["Beta"]}, "unknown field"),
    ],
)
def test_loader_rejects_bad_actor_data(tmp_path: Path, type_: str, entry: dict, message: str) -> None:
    with pytest.raises(EntityDataError, match=message):
        load_kb(write(tmp_path, type_, [entry]))
