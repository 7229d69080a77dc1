//! The words of the demo: names, places, employers, goals, jobs and next steps, as a coach in
//! a Swedish IPS program would write them. All people and most businesses are made up;
//! organisation numbers are fictional.
//!
//! Occupation codes are 4-digit unit groups that ISCO-08 and SSYK 2012 share (INTERCHANGE.md
//! accepts either).

/// What an employer does; jobs are matched to employers of the same sector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sector {
    Retail,
    Food,
    Transport,
    Care,
    Industry,
    Building,
    Charity,
    Service,
    Green,
    Animals,
    It,
    Education,
    Office,
}

impl Sector {
    /// The sector as written in `employers.csv`.
    pub(crate) const fn label(self) -> &'static str {
        match self {
            Sector::Retail => "Handel",
            Sector::Food => "Restaurang och kafé",
            Sector::Transport => "Transport och lager",
            Sector::Care => "Vård och omsorg",
            Sector::Industry => "Industri",
            Sector::Building => "Bygg och fastighet",
            Sector::Charity => "Ideell sektor",
            Sector::Service => "Service",
            Sector::Green => "Park och trädgård",
            Sector::Animals => "Djur",
            Sector::It => "IT",
            Sector::Education => "Utbildning",
            Sector::Office => "Kontor och administration",
        }
    }
}

/// The legal form behind an organisationsnummer's first digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Form {
    /// Aktiebolag: 556xxx-xxxx.
    Company,
    /// Municipality or region: 212000-xxxx.
    Public,
    /// Ideell förening or foundation: 802xxx-xxxx.
    Association,
}

pub(crate) struct EmployerWord {
    pub(crate) name: &'static str,
    pub(crate) sector: Sector,
    pub(crate) form: Form,
}

const fn e(name: &'static str, sector: Sector, form: Form) -> EmployerWord {
    EmployerWord { name, sector, form }
}

use Form::*;
use Sector::*;

/// The three programs of the region, each with its local employer register.
pub(crate) struct RegionProgram {
    pub(crate) name: &'static str,
    pub(crate) organisation: &'static str,
    pub(crate) employers: &'static [EmployerWord],
}

pub(crate) const REGION: [RegionProgram; 3] = [
    RegionProgram {
        name: "IPS Göteborg Nordost",
        organisation: "Göteborgs Stad, socialtjänsten",
        employers: &[
            e("Ica Maxi Backaplan", Retail, Company),
            e("Coop Angered", Retail, Association),
            e("Hemköp Gamlestaden", Retail, Company),
            e("Elgiganten Bäckebol", Retail, Company),
            e("Bageriet på hörnet", Food, Company),
            e("Kafé Koppen", Food, Company),
            e("Max Hamburgare Kortedala", Food, Company),
            e("Göteborgs Spårvägar", Transport, Public),
            e("PostNord Hisings Backa", Transport, Company),
            e("Lager & Logistik i Arendal AB", Transport, Company),
            e("Volvo Cars Torslanda", Industry, Company),
            e("Stadsmissionen Göteborg", Charity, Association),
            e(
                "Göteborgs Stad, park- och naturförvaltningen",
                Green,
                Public,
            ),
            e("Göteborgs Stad, äldreomsorgen Nordost", Care, Public),
            e("Sahlgrenska Universitetssjukhuset", Care, Public),
            e("Liseberg", Service, Company),
            e("Hjällbo Städservice AB", Service, Company),
            e("Hisingens Bilverkstad", Service, Company),
            e("Bygg & Montage i Bergsjön AB", Building, Company),
            e("Angereds Gård, djurhållningen", Animals, Public),
            e("Komvux Göteborg", Education, Public),
            e("Frisörsalongen Saxen", Service, Company),
            e("Kortedala Förskolor", Education, Public),
            e("IT-hjälpen Väst AB", It, Company),
            e("Bostadsbolaget, kundtjänst", Office, Company),
        ],
    },
    RegionProgram {
        name: "IPS Uppsala",
        organisation: "Uppsala kommun, arbetsmarknadsförvaltningen",
        employers: &[
            e("Ica Kvantum Gränby", Retail, Company),
            e("Coop Forum Stenhagen", Retail, Association),
            e("Biltema Boländerna", Retail, Company),
            e("Fyris Bageri", Food, Company),
            e("Kafé Linné", Food, Company),
            e("Pizzeria Svartbäcken", Food, Company),
            e("Upplands Lokaltrafik", Transport, Public),
            e("Dagligvarulagret Librobäck", Transport, Company),
            e("Uppsala universitet, lokalvården", Service, Public),
            e("Akademiska sjukhuset", Care, Public),
            e("Uppsala kommun, hemtjänsten", Care, Public),
            e("Uppsala Stadsmission", Charity, Association),
            e("Röda Korset Uppsala, second hand", Charity, Association),
            e("Gamla Uppsala Handelsträdgård", Green, Company),
            e("Hundpensionatet i Sävja", Animals, Company),
            e("Fyrishov", Service, Public),
            e("Bygg-Uppsala AB", Building, Company),
            e("Uppsala Bilservice", Service, Company),
            e("IT-support i Uppland AB", It, Company),
            e("Komvux Uppsala", Education, Public),
            e("Sävja Förskolor", Education, Public),
            e("Kontorsservice Kungsängen AB", Office, Company),
        ],
    },
    RegionProgram {
        name: "IPS Östersund",
        organisation: "Östersunds kommun och Region Jämtland Härjedalen",
        employers: &[
            e("Ica Maxi Lillänge", Retail, Company),
            e("Coop Odenskog", Retail, Association),
            e("Storsjöbagarn", Food, Company),
            e("Kafé Gamla Stan Östersund", Food, Company),
            e("Jämtlandstrafiken", Transport, Public),
            e("Åkeri i Lit AB", Transport, Company),
            e("Östersunds sjukhus", Care, Public),
            e("Östersunds kommun, hemtjänsten", Care, Public),
            e("Östersunds kommun, gatu- och parkenheten", Green, Public),
            e("Jamtli", Service, Association),
            e("Stall Torvalla", Animals, Company),
            e("Svenska kyrkan Östersund", Charity, Association),
            e("Frösö Snickeri AB", Building, Company),
            e("Östersunds Bilservice", Service, Company),
            e("Lokalvård Jämtland AB", Service, Company),
            e("Komvux Östersund", Education, Public),
            e("Mittuniversitetet, vaktmästeriet", Service, Public),
            e("Fjällmejeriet", Industry, Company),
            e("Datahjälpen Z AB", It, Company),
        ],
    },
];

/// Towns for the national set; a program is "IPS <town>", with a number when a town has
/// several teams.
pub(crate) const TOWNS: &[&str] = &[
    "Stockholm",
    "Göteborg",
    "Malmö",
    "Uppsala",
    "Linköping",
    "Örebro",
    "Västerås",
    "Helsingborg",
    "Norrköping",
    "Jönköping",
    "Umeå",
    "Lund",
    "Borås",
    "Huddinge",
    "Eskilstuna",
    "Gävle",
    "Södertälje",
    "Karlstad",
    "Halmstad",
    "Växjö",
    "Sundsvall",
    "Luleå",
    "Trollhättan",
    "Östersund",
    "Borlänge",
    "Falun",
    "Kalmar",
    "Skövde",
    "Kristianstad",
    "Karlskrona",
    "Skellefteå",
    "Uddevalla",
    "Varberg",
    "Örnsköldsvik",
    "Landskrona",
    "Nyköping",
    "Motala",
    "Piteå",
    "Kiruna",
    "Gällivare",
    "Visby",
    "Ystad",
    "Katrineholm",
    "Hudiksvall",
    "Sandviken",
    "Enköping",
    "Mora",
    "Arvika",
    "Lidköping",
    "Alingsås",
];

/// Parts of a town where the national set's businesses are.
pub(crate) const DISTRICTS: &[&str] = &["Centrum", "Norr", "Söder"];

/// Employer templates for the national set; `{}` is the town.
pub(crate) const TOWN_EMPLOYERS: &[EmployerWord] = &[
    e("Ica Supermarket {}", Retail, Company),
    e("Coop {}", Retail, Association),
    e("Hemköp {}", Retail, Company),
    e("Biltema {}", Retail, Company),
    e("{} Bageri", Food, Company),
    e("Kafé Torget, {}", Food, Company),
    e("Pizzeria Napoli, {}", Food, Company),
    e("Lager och Logistik {} AB", Transport, Company),
    e("Åkeri {} AB", Transport, Company),
    e("{} kommun, hemtjänsten", Care, Public),
    e("Vårdcentralen {}", Care, Public),
    e("{} kommun, parkförvaltningen", Green, Public),
    e("Stadsmissionen {}", Charity, Association),
    e("Återbruket {}", Charity, Association),
    e("Städbolaget {} AB", Service, Company),
    e("{}s Bilverkstad", Service, Company),
    e("Frisör Saxen, {}", Service, Company),
    e("Byggservice {} AB", Building, Company),
    e("Djurkliniken {}", Animals, Company),
    e("IT-hjälpen {} AB", It, Company),
    e("Komvux {}", Education, Public),
    e("{} kommun, förskolan", Education, Public),
    e("Mekaniska Verkstaden {} AB", Industry, Company),
    e("Kontorshotellet {}", Office, Company),
];

/// First names: common Swedish names and names of people who came to Sweden.
pub(crate) const FIRST_NAMES: &[&str] = &[
    "Amina",
    "Mehmet",
    "Sara",
    "Johan",
    "Li",
    "Oskar",
    "Fatima",
    "Anna",
    "Erik",
    "Maria",
    "Karl",
    "Lena",
    "Ahmed",
    "Noor",
    "Mohammed",
    "Elin",
    "Jonas",
    "Hanna",
    "Ali",
    "Emma",
    "Mikael",
    "Sofia",
    "Daniel",
    "Linnea",
    "Peter",
    "Ida",
    "Yusuf",
    "Leila",
    "Hassan",
    "Marcus",
    "Kristina",
    "Fredrik",
    "Zeynep",
    "Dragan",
    "Mirela",
    "Aleksandra",
    "Tomas",
    "Ulrika",
    "Ingrid",
    "Per",
    "Nils",
    "Malin",
    "Samir",
    "Hiwot",
    "Dawit",
    "Elif",
    "Kevin",
    "Jenny",
    "Viktor",
    "Sanna",
    "Rasmus",
    "Tove",
    "Bashir",
    "Huda",
    "Mustafa",
    "Julia",
    "Olle",
    "Gunilla",
    "Ebba",
    "Alva",
    "Abdi",
    "Hodan",
    "Wei",
    "Minh",
    "Natalia",
    "Ivan",
    "Lukas",
    "Sebastian",
    "Matilda",
    "Ronja",
    "Linus",
    "Goran",
    "Senait",
    "Reza",
    "Parisa",
    "Åsa",
    "Björn",
    "Kerstin",
    "Mats",
    "Josefin",
];

pub(crate) const LAST_NAMES: &[&str] = &[
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Lindberg",
    "Lindqvist",
    "Berg",
    "Holm",
    "Sandberg",
    "Lundgren",
    "Ali",
    "Mohamed",
    "Hassan",
    "Yilmaz",
    "Kaya",
    "Ahmadi",
    "Hosseini",
    "Nguyen",
    "Chen",
    "Kovačević",
    "Hadžić",
    "Nowak",
    "Abdullahi",
    "Haile",
    "Öberg",
    "Åberg",
    "Ekström",
    "Sjöberg",
    "Lind",
    "Wallin",
    "Engström",
    "Forsberg",
    "Tesfaye",
    "Rahimi",
    "Mäkinen",
    "Sahin",
];

/// A participant's goal in their own words, with an occupation code and hours where the
/// goal names them.
pub(crate) struct GoalWord {
    pub(crate) text: &'static str,
    pub(crate) code: Option<&'static str>,
    pub(crate) hours: Option<f64>,
}

const fn g(text: &'static str, code: Option<&'static str>, hours: Option<f64>) -> GoalWord {
    GoalWord { text, code, hours }
}

pub(crate) const GOALS: &[GoalWord] = &[
    g("Jobba med djur, gärna deltid", Some("5164"), Some(20.0)),
    g("Bli lastbilschaufför", Some("8332"), None),
    g("Något med händerna, inte för stressigt", None, None),
    g(
        "Komma tillbaka till vården som undersköterska",
        Some("5321"),
        Some(30.0),
    ),
    g("Jobba i butik, helst dagtid", Some("5223"), Some(25.0)),
    g("Laga mat på en riktig restaurang", Some("5120"), None),
    g(
        "Work in a warehouse, early shifts",
        Some("4321"),
        Some(40.0),
    ),
    g("Få ett vanligt jobb och tjäna egna pengar", None, None),
    g("Jobba med barn, kanske som barnskötare", Some("5311"), None),
    g("Vara ute, i en park eller trädgård", Some("9214"), None),
    g(
        "Programmera, gärna hemifrån några dagar",
        Some("2512"),
        None,
    ),
    g("Köra buss", Some("8331"), Some(40.0)),
    g(
        "Städa på kvällarna, ungefär halvtid",
        Some("9112"),
        Some(20.0),
    ),
    g("Baka bröd", Some("7512"), None),
    g("Jobba på ett kafé", Some("5246"), Some(20.0)),
    g("Snickare, som jag var innan", Some("7115"), Some(40.0)),
    g("Ett kontorsjobb i lugnt tempo", Some("4110"), Some(30.0)),
    g("Frisör, som i mitt hemland", Some("5141"), None),
    g("Bli elektriker igen efter uppehållet", Some("7411"), None),
    g("Jobba på bibliotek", Some("4411"), Some(20.0)),
    g("Truckförare på ett lager", Some("8344"), Some(40.0)),
    g("Vaktmästare på en skola", Some("5153"), None),
    g("Something with cars, a garage maybe", Some("7231"), None),
    g(
        "Work with computers, helping people with them",
        Some("3512"),
        None,
    ),
    g("Kassajobb några timmar i veckan", Some("5230"), Some(10.0)),
    g(
        "Hemtjänsten — jag tycker om att hjälpa äldre",
        Some("5322"),
        Some(30.0),
    ),
    g("Slippa försörjningsstödet och klara mig själv", None, None),
    g(
        "Börja jobba lite grann, tio timmar i veckan",
        None,
        Some(10.0),
    ),
    g("Ett jobb där jag får träffa folk", None, None),
];

/// A paid job as it appears in `jobs.csv`.
pub(crate) struct JobWord {
    pub(crate) title: &'static str,
    pub(crate) code: &'static str,
    pub(crate) sector: Sector,
    /// Hours per week, low and high.
    pub(crate) hours: (u32, u32),
    /// Hourly wage in SEK, low and high.
    pub(crate) wage: (u32, u32),
}

const fn j(
    title: &'static str,
    code: &'static str,
    sector: Sector,
    hours: (u32, u32),
    wage: (u32, u32),
) -> JobWord {
    JobWord {
        title,
        code,
        sector,
        hours,
        wage,
    }
}

pub(crate) const JOBS: &[JobWord] = &[
    j("Butiksbiträde", "5223", Retail, (10, 30), (135, 160)),
    j("Kassabiträde", "5230", Retail, (8, 25), (135, 155)),
    j("Varuplockare", "9334", Retail, (10, 30), (135, 150)),
    j("Köksbiträde", "9412", Food, (10, 30), (135, 155)),
    j("Kock", "5120", Food, (20, 40), (150, 180)),
    j("Barista", "5246", Food, (10, 25), (130, 150)),
    j("Bagare", "7512", Food, (20, 40), (145, 170)),
    j("Lagerarbetare", "4321", Transport, (20, 40), (145, 170)),
    j("Truckförare", "8344", Transport, (30, 40), (155, 180)),
    j("Lastbilschaufför", "8332", Transport, (35, 40), (160, 190)),
    j("Bussförare", "8331", Transport, (30, 40), (165, 190)),
    j("Budbilsförare", "9621", Transport, (15, 40), (140, 165)),
    j("Undersköterska", "5321", Care, (20, 38), (160, 185)),
    j(
        "Vårdbiträde i hemtjänsten",
        "5322",
        Care,
        (15, 38),
        (150, 170),
    ),
    j("Monteringsarbetare", "9329", Industry, (30, 40), (160, 185)),
    j("Snickare", "7115", Building, (30, 40), (170, 200)),
    j("Elektriker", "7411", Building, (35, 40), (180, 210)),
    j("Lokalvårdare", "9112", Service, (10, 30), (140, 160)),
    j("Fordonstekniker", "7231", Service, (30, 40), (165, 195)),
    j("Frisör", "5141", Service, (15, 35), (140, 170)),
    j("Vaktmästare", "5153", Service, (20, 40), (150, 175)),
    j("Parkarbetare", "9214", Green, (20, 40), (145, 165)),
    j("Djurskötare", "5164", Animals, (10, 30), (140, 160)),
    j("IT-supporttekniker", "3512", It, (20, 40), (175, 210)),
    j("Systemutvecklare", "2512", It, (30, 40), (220, 280)),
    j("Barnskötare", "5311", Education, (20, 38), (150, 175)),
    j("Elevassistent", "5312", Education, (20, 38), (150, 170)),
    j(
        "Biblioteksassistent",
        "4411",
        Education,
        (10, 30),
        (150, 170),
    ),
    j("Kontorsassistent", "4110", Office, (20, 40), (155, 180)),
    j(
        "Kundtjänstmedarbetare",
        "4222",
        Office,
        (20, 40),
        (155, 180),
    ),
];

/// Unpaid steps toward work: a placement (praktik) at an employer of the sector.
pub(crate) const PLACEMENTS: &[(&str, Sector)] = &[
    ("Praktik i butik", Retail),
    ("Praktik i köket", Food),
    ("Praktik på lagret", Transport),
    ("Praktik i hemtjänsten", Care),
    ("Praktik på verkstaden", Service),
    ("Praktik i parken", Green),
    ("Arbetsträning med djuren", Animals),
    ("Praktik på kontoret", Office),
];

/// Studies: no employer named.
pub(crate) const EDUCATIONS: &[(&str, Option<&str>)] = &[
    ("Komvux: svenska", None),
    ("Truckkort, A+B", Some("8344")),
    ("Undersköterskeutbildning, Komvux", Some("5321")),
    ("Körkortsteori (B)", None),
    ("Komvux: matematik 1a", None),
    ("Restaurang- och livsmedelsutbildning", Some("5120")),
    ("Lastbilskörkort C/CE via Komvux", Some("8332")),
];

pub(crate) const VOLUNTEERING: &[&str] = &[
    "Volontär i kaféet",
    "Volontär i second hand-butiken",
    "Läxhjälp som volontär",
    "Matutdelning, volontär",
];

/// Next steps a participant takes; `{}` is an employer's name.
pub(crate) const STEPS_PARTICIPANT: &[&str] = &[
    "Uppdatera CV",
    "Check bus times to the warehouse",
    "Skicka ansökan till {}",
    "Ringa {} och fråga efter chefen",
    "Köpa arbetsskor",
    "Ta med id-handling till nästa möte",
    "Skriva ner tre saker jag är bra på",
    "Provåka till jobbet en gång innan första dagen",
    "Fråga kontaktpersonen på psykiatrin om tider som krockar",
    "Look at the job ads on Platsbanken",
    "Gå förbi {} och lämna CV",
    "Ringa Försäkringskassan om aktivitetsersättningen",
    "Write a short cover letter for {}",
];

pub(crate) const STEPS_COACH: &[&str] = &[
    "Ringa {} om extrajobb",
    "Boka möte med handläggaren på Arbetsförmedlingen",
    "Kolla med {} om praktikplats",
    "Ask the benefits adviser about income limits",
    "Skicka tre jobbannonser som passar",
    "Prata med kontaktpersonen på psykiatrin om arbetstider",
    "Boka fika med chefen på {}",
    "Ta reda på vad truckkortet kostar",
    "Follow up with {} after the interview",
    "Skicka underlag om lönebidrag till Arbetsförmedlingen",
];

pub(crate) const STEPS_BOTH: &[&str] = &[
    "Titta på arbetsplatsen hos {} tillsammans",
    "Gå igenom lönespecifikationen tillsammans",
    "Plan the first week at work together",
    "Göra en budget för när lönen kommer",
    "Öva inför intervjun hos {}",
];

pub(crate) const STEPS_OTHER: &[&str] = &[
    "Handläggaren på Arbetsförmedlingen skickar beslut om lönebidrag",
    "Kontaktpersonen från psykiatrin följer med på nästa möte",
    "Budget- och skuldrådgivaren hör av sig om en tid",
    "Handläggaren på Försäkringskassan ringer upp om sjukersättningen",
];

/// Short meeting notes by place; not every meeting has one.
pub(crate) const NOTES_CAFE: &[&str] = &[
    "Fika och samtal om drömjobbet",
    "Coffee and a look at the job ads",
    "Gick igenom CV:t över en kopp kaffe",
    "Pratade om vad som kändes viktigt i ett jobb",
];
pub(crate) const NOTES_WORKPLACE: &[&str] = &[
    "Besök på arbetsplatsen, allt går bra",
    "Lunch på jobbet, pratade om schemat",
    "Visited at work, talked about the new tasks",
];
pub(crate) const NOTES_EMPLOYER: &[&str] = &[
    "Träffade chefen tillsammans",
    "Följde med på anställningsintervju",
];
pub(crate) const NOTES_HOME: &[&str] = &[
    "Hembesök, skrev ansökningar tillsammans",
    "Home visit, sorted the paperwork",
];
pub(crate) const NOTES_COMMUNITY: &[&str] = &[
    "Promenad och samtal",
    "Sökte jobb tillsammans på biblioteket",
    "Walk and talk in the park",
];
pub(crate) const NOTES_OFFICE: &[&str] = &[
    "Möte med kontaktpersonen från psykiatrin",
    "Gick igenom ekonomin inför jobbstarten",
];
pub(crate) const NOTES_PHONE: &[&str] = &[
    "Kort avstämning på telefon",
    "Ringde för att höra hur första veckan gått",
];
pub(crate) const NOTES_VIDEO: &[&str] = &["Videomöte, sökte jobb tillsammans"];
pub(crate) const NOTES_MESSAGE: &[&str] = &[
    "Sms om tiden nästa vecka",
    "Message: sent a photo of the work schedule",
];
pub(crate) const NOTE_FIRST: &str = "Första träffen, på fika";
pub(crate) const NOTE_HANDOVER: &str = "Överlämning till ny coach";
