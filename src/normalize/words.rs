//! The vocabulary of credits: agencies, the words that open a credit, the words that show a
//! text is a sentence, and the other word lists the rules consult. Extend a style by adding to
//! these lists.

/// The particles inside a person's name, written in lower case between its capitalised
/// words (`Jan van der Berg`, `Juan de la Cruz`, `Luiz dos Santos`, `Ahmad bin Rashid`,
/// `Walid al Masri`), in the languages of the labelled captions; never a name's first or
/// last word.
#[rustfmt::skip]
pub const NAME_PARTICLES: &[&str] = &[
    "de", "da", "das", "del", "della", "der", "den", "di", "do", "dos", "du", "des", "la", "le",
    "van", "von", "ter", "ten", "y", "bin", "binti", "al", "el",
];

/// News agencies, picture desks and stock libraries, as they are written in credits. Both the
/// agency pattern of the rules and the marker scan are built from this list.
#[rustfmt::skip]
pub const AGENCIES: &[&str] = &[
    "AP", "AP Photo", "AFP", "AFP PHOTO", "Agence France-Presse", "Associated Press",
    "ASSOCIATED PRESS", "The Associated Press", "Reuters", "REUTERS", "EPA", "EPA-EFE",
    "EFE", "Efe", "Getty", "getty", "GETTY", "GETTY IMAGES", "Getty Images", "GettyImages",
    "Gettyimages", "dpa", "DPA", "PA", "PA Images", "PA Wire", "PA Media", "Shutterstock",
    "SHUTTERSTOCK", "Shutterstock.com", "Bloomberg", "Xinhua", "XINHUA",
    "Xinhua News Agency", "ANP", "Kyodo", "KYODO", "Imago", "IMAGO", "imago images", "SWNS",
    "Unsplash", "unsplash", "Keystone", "KEYSTONE", "APA", "AAP", "UPI", "Sipa", "Sipa USA",
    "SIPA", "TASS", "Sputnik", "NurPhoto", "Alamy", "Corbis", "WireImage", "FilmMagic",
    "Invision", "Bongarts", "BelTA", "Anadolu", "Anadolu Agency", "ZUMA", "ZUMA Press",
    "ZUMA Wire", "Polaris", "Redux", "Rex", "REX", "Rex Features", "NYT",
    "The New York Times", "The Washington Post", "iStock", "iStockphoto", "iStock.com",
    "picture alliance", "Pixabay", "pixabay", "Pexels", "Flickr", "flickr",
    "Wikimedia Commons", "stock.adobe.com", "Adobe Stock", "AdobeStock", "Fotolia",
    "Fotolia.com", "Thinkstock", "ThinkstockPhotos", "USATSI", "USA TODAY Sports",
    "Lehtikuva", "SID", "Télam", "Cedida", "Archivo", "Cortesía", "AA", "DHA", "İHA", "IHA",
    "Europa Press", "Ritzau Scanpix", "Scanpix", "Ritzau", "NTB", "ANSA", "LaPresse", "Belga",
    "BELGA", "Jiji Press", "Yonhap", "Newsis", "Kyodo News", "Notimex", "Agencia EFE",
    // The world's other national agencies and the large picture libraries and sports, film
    // and celebrity desks, as their credits spell them (general knowledge, not one outlet's
    // wording). Names that are also common words (`Gamma`, `Mega`, `SPA`, `PTI`) stay out.
    "JIJI", "Jiji", "AFP-JIJI", "AFP-Jiji", "Kyodo News via AP", "Yonhap News Agency",
    "RIA Novosti", "ITAR-TASS", "Lusa", "LUSA", "Agência Brasil", "Agencia Brasil",
    "Folhapress", "Estadão Conteúdo", "Prensa Latina", "Andina", "Bernama", "BERNAMA",
    "Antara", "ANTARA", "Antara Foto", "IANS", "IRNA", "ISNA", "Tasnim", "KUNA", "WAM",
    "Keystone-SDA", "KEYSTONE-SDA", "TT News Agency", "NTB Scanpix", "STT-Info", "ČTK", "CTK",
    "HINA", "Tanjug", "AGERPRES", "China News Service", "Visual China Group", "VCG",
    "Costfoto", "Imaginechina", "ImagineChina", "Feature China", "US PRESSWIRE",
    "US Presswire", "USA TODAY Sports Images", "USA TODAY NETWORK", "Imagn", "Imagn Images",
    "Imagn Content Services", "Icon Sportswire", "Icon SMI", "NBAE", "Action Images",
    "Sportsfile", "SPORTSFILE", "INPHO", "Inpho", "Backpage Pictures", "Camera Press",
    "Magnum Photos", "Science Photo Library", "Bridgeman Images", "Mary Evans Picture Library",
    "Hulton Archive", "Popperfoto", "Bettmann", "Roger-Viollet", "akg-images",
    "ullstein bild", "SZ Photo", "Abaca", "ABACAPRESS", "Abacapress", "MaxPPP", "Hans Lucas",
    "Gamma-Rapho", "Sygma", "Splash News", "Backgrid", "BACKGRID", "GC Images",
    "Bauer-Griffin", "MediaPunch", "Landov", "LANDOV", "Barcroft Media", "Caters News",
    "Solent News", "Pen News", "Cover Images", "Newscom", "SOPA Images", "LightRocket",
    "Pacific Press", "ZUMAPRESS", "ZUMAPRESS.com", "Zuma Press", "Polaris Images",
    "Redux Pictures", "The Image Works", "Everett Collection", "Photofest",
    "Moviestore Collection", "Allstar Picture Library", "Ronald Grant Archive", "Kobal",
    "The Kobal Collection", "AP Images", "Alamy Stock Photo", "Dreamstime", "123RF",
    "Depositphotos", "Photoshot", "Panos Pictures", "Reuters Pictures", "Exclusivepix",
    "Exclusivepix Media",
];

/// Agencies that newsrooms glue to the last word of a caption without a space or full stop
/// (`... in LondonPA`, `... in MadridReuters`, `... MilanAFP via Getty Images`).
pub(super) const GLUED_AGENCY: &str = r"(?:PA|AP|AFP|Reuters|REUTERS|Getty|Getty Images|Cedida)";

/// Words that open a credit (`Photo: Name`, `Foto: dpa`, `Bild © Name`, `Photograph by Name`),
/// matched without regard to case.
#[rustfmt::skip]
pub(super) const LEAD_WORDS: &[&str] = &[
    "photo", "photos", "photograph", "photographs", "photographer", "photography", "picture",
    "pictures",
    "image", "images", "foto", "fotos", "fotocredit", "bild", "bilder", "bildquelle",
    "фото", "kuva", "imagen", "illustration", "grafik", "zeichnungen", "screenshot",
    "screenshots", "source", "quelle", "courtesy", "pic", "fotoğraf", "fotoğraflar", "fotograf",
    "fotografía", "fotografia", "billede", "bilde", "arkivfoto", "arkivbillede", "fuente",
    "fonte", "kaynak", "graphic", "graphics", "infographic", "fotó", "zdjęcie", "zdjęcia",
    "kuvaaja", "beeld", "bildrechte", "bildnachweis", "video", "vídeo",
    // "Photo" and "source" in the other languages of European and Asian news sites (general
    // knowledge of the languages, not one outlet's wording): Polish, Czech and Slovak,
    // Hungarian, Romanian, Croatian and Serbian, Dutch, Danish and Norwegian, Swedish,
    // Finnish, Greek (also without accents, as capitals write it), Russian and Ukrainian,
    // Vietnamese, Indonesian and Malay, Arabic, Hebrew.
    "źródło", "zdroj", "snímek", "fotografie", "forrás", "sursa", "sursă", "izvor", "извор",
    "bron", "kilde", "källa", "lähde", "φωτογραφία", "φωτογραφια", "φωτο", "πηγή", "πηγη", "источник", "джерело",
    "ảnh", "nguồn", "sumber", "تصوير", "المصدر", "صورة", "צילום", "מקור",
    // A drawing or visual (Danish, Norwegian, German, Turkish), and a screen grab as the
    // languages of the labelled sets write it.
    "tegning", "zeichnung", "görsel", "screengrab", "screen grab", "capture d'écran",
    "capture d’écran", "captura de pantalla", "captura", "bildschirmfoto",
    "ekran görüntüsü", "skærmbillede", "skjermbilde",
];

/// Lower-case articles: a label followed by one describes the picture (`Im Bild: der ...`).
#[rustfmt::skip]
pub(super) const ARTICLES: &[&str] = &[
    "der", "die", "das", "den", "dem", "ein", "eine", "the", "a", "an", "le", "la", "les",
    "el", "los", "las", "un", "una",
];

/// A word that labels a credit, lower case: a lead word (`photo`, `foto`, `kilde`) or
/// `credit`, `credits`, `crédit`, `crédits`.
pub(super) fn is_label_word(lower: &str) -> bool {
    LEAD_WORDS.contains(&lower) || matches!(lower, "credit" | "credits" | "crédit" | "crédits")
}

/// Lower-case words that occur in credits (`Photo by X on Unsplash`, `Name/AFP via Getty`,
/// `Foto: ccnull/Name/cc by sa 2.0`).
pub(super) fn is_credit_connector(w: &str) -> bool {
    matches!(
        w,
        "by" | "via"
            | "vía"
            | "for"
            | "para"
            | "of"
            | "on"
            | "and"
            | "und"
            | "y"
            | "e"
            | "et"
            | "de"
            | "da"
            | "di"
            | "do"
            | "del"
            | "des"
            | "van"
            | "von"
            | "der"
            | "den"
            | "dem"
            | "du"
            | "la"
            | "le"
            | "the"
            | "auf"
            | "aus"
            | "nach"
            | "photo"
            | "photos"
            | "foto"
            | "fotos"
            | "images"
            | "image"
            | "credit"
            | "courtesy"
            | "file"
            | "files"
            | "cc"
            | "sa"
            | "nd"
            | "nc"
            | "composite"
            | "illustration"
            | "montage"
            | "pool"
            | "staff"
            | "contributor"
    )
}

/// Lower-case words that make a text a sentence, never a credit.
pub(super) fn is_sentence_word(w: &str) -> bool {
    matches!(
        w,
        "is" | "are"
            | "was"
            | "were"
            | "has"
            | "have"
            | "had"
            | "will"
            | "with"
            | "while"
            | "at"
            | "in"
            | "to"
            | "ist"
            | "sind"
            | "war"
            | "wird"
            | "werden"
            | "hat"
            | "haben"
            | "für"
            | "mit"
            | "im"
            | "am"
            | "zum"
            | "zur"
            | "die"
            | "das"
            | "est"
            | "sont"
            | "avec"
            | "dans"
            | "es"
            | "son"
            | "con"
            | "en"
            | "que"
    )
}

/// Page furniture that can follow a credit: a text ending with it is not a credit.
#[rustfmt::skip]
pub(super) const UI_NOISE: &[&str] = &[
    "Überspringe die Bildergalerie", "Mehr erfahren", "Mehr Erfahren", "Leer más",
    "Zum Shop", "View Gallery",
];

/// Words that start a bare name but are not one (titles, places, positions, page furniture).
#[rustfmt::skip]
pub(super) const NOT_NAMES: &[&str] = &[
    "Left", "Right", "Center", "Centre", "Top", "Bottom", "Front", "Back", "File", "From",
    "President", "Prime", "Minister", "Senator", "Governor", "Mayor", "King", "Queen",
    "Prince", "Princess", "Pope", "Chancellor", "General", "Mr", "Mrs", "Ms", "Dr", "Sir",
    "Cardinal", "Bishop", "Judge", "Coach", "Captain", "Officer", "Sheriff", "Chief",
    "Lady", "Lord", "New", "Los", "Las", "San", "Santa", "North", "South", "East", "West",
    "Upper", "Lower", "Mount", "Lake", "Port", "Fort", "Saint", "Mehr", "Erfahren", "More",
    "Read", "Leer", "Más", "Click", "Here", "View", "Gallery", "Close", "Share", "Print",
    "Save", "Email", "Video", "Published", "Updated", "Watch", "Live", "Photo", "Photos",
    "Image", "Foto", "Bild",
];

/// The two-letter codes of US states and Canadian provinces, and the city acronyms, that close
/// a contest entry's or a letter's signature (`Jane Roe, Alameda CA`, `Jane Roe NYC`): a place,
/// never an outlet or an agency, though `PA` is also the Press Association's credit.
#[rustfmt::skip]
pub(super) const PLACE_CODES: &[&str] = &[
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA",
    "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ",
    "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT",
    "VA", "WA", "WV", "WI", "WY", "DC", "AB", "BC", "MB", "NB", "NL", "NS", "ON", "PE", "QC",
    "SK", "NYC", "SF", "USA",
];

/// Whether `w` (a full stop or comma after it allowed) is one of [`PLACE_CODES`].
pub(super) fn is_place_code(w: &str) -> bool {
    PLACE_CODES.contains(&w.trim_end_matches(['.', ',']))
}

/// "Provided" in Spanish, Portuguese and French, before `por`/`par`/`pela`/`pelo` ("by"):
/// `Imagen cedida por ...`, `Photo fournie par ...`, `(Foto cedida)`. The lead rule's pattern,
/// its check and the bracket check all read this one table.
#[rustfmt::skip]
pub(super) const GIVEN_BY: &[&str] = &[
    "cedida", "cedido", "facilitada", "facilitado", "proporcionada", "proporcionado", "fournie",
    "fourni", "transmise", "transmis",
];

/// Words that end the name of a publication (`for Quanta Magazine`, `for BuzzFeed News`).
#[rustfmt::skip]
pub(super) const PUBLICATION_WORDS: &[&str] = &[
    "Magazine", "Times", "News", "Post", "Guardian", "Herald", "Journal", "Tribune",
    "Chronicle", "Press", "Media", "Daily", "Review", "Images", "Photos", "Staff",
];

/// Capitalised words that start a sentence, which end a leading credit:
/// `dpa/Jan Woitas Im Oktober ...`, `© Getty Images Nach ihrer ...`.
#[rustfmt::skip]
pub(super) const SENTENCE_STARTS: &[&str] = &[
    "The", "A", "An", "In", "At", "On", "This", "These", "Die", "Der", "Das", "Den", "Dem",
    "Im", "Am", "Ein", "Eine", "Einen", "Mit", "Nach", "Bei", "Auf", "Für", "Vor", "Wie",
    "Was", "Wer", "Les", "Le", "La", "Un", "Une", "El", "Los", "Las", "Una", "Il", "Lo",
];

/// Brand and agency names written in camel case, which are not a credit glued to a caption.
#[rustfmt::skip]
pub(super) const CAMEL_WORDS: &[&str] = &[
    "YouTube", "PlayStation", "WordPress", "JavaScript", "GitHub", "LinkedIn", "PowerPoint",
    "DeepMind", "OpenAI", "iPhone", "iPad", "MacBook", "AirPods", "WhatsApp", "TikTok",
    "PayPal", "FedEx", "BlackBerry", "GettyImages", "ThinkstockPhotos", "AdobeStock",
    "NurPhoto", "WireImage", "FilmMagic", "ZDNet", "BelTA", "SpaceX", "McDonald", "LeBron",
    "DiCaprio", "BillionPhotos", "RenderBurger", "ClassicStock", "DrMikeBaxter",
];

/// Stock libraries and news agencies that may open a caption as its credit, before a
/// sentence (`Associated Press Film's most iconic ape ...`). `AP` and `EPA` alone are left out:
/// they open other names (`AP Exams`, `EPA officials`).
#[rustfmt::skip]
pub(super) const LEADING_AGENCIES: &[&str] = &[
    "Shutterstock", "iStock", "Getty Images", "Alamy", "dpa", "Associated Press",
    "The Associated Press", "ASSOCIATED PRESS", "AP Photo", "Reuters", "REUTERS", "AFP",
    "AFP PHOTO", "EPA-EFE", "Xinhua", "XINHUA",
];

/// A single name word: a capitalised word, an initial (`J.`), a user name or a domain
/// (`smolaw11`, `stock.adobe.com`). It never ends with a full stop (except initials and a few
/// abbreviations), so a bare credit cannot reach back over the end of a sentence. Written with
/// negated punctuation classes rather than Unicode letter classes: the automata stay small.
pub(super) const TOKEN: &str = r#"(?:[A-ZÀ-ÖØ-Þ]\.(?:[A-ZÀ-ÖØ-Þ]\.)*|(?:Jr|Sr|St|Dr|Co|Inc|Ltd)\.|[&+]|[^\s/|()\[\]©:;,!?"“”«»—–]*[^\s/|()\[\]©:;,!?"“”«».…'’\-—–])"#;

/// Separators between the parts of a credit: `Name/AFP`, `Name | Getty Images`,
/// `Name — Getty Images`, `AFP - Getty Images`, `Name via AP`, `Name, via AP`,
/// `Name for Magazine`.
pub(super) const SEP: &str =
    r"(?:\s*/\s*|\s+\|\s*|\s*[—–]\s*|\s+-\s+|,?\s+(?:via|vía|for|para)\s+)";

/// The endings of web domains read as a picture's source (`acmepress.com`, `acme.co.uk`): the
/// leading rule's opening, its markers and the shape after the caption all take this list.
pub(super) const WEB_ENDINGS: &[&str] = &[
    "com", "org", "net", "co.uk", "com.au", "de", "fr", "es", "it",
];

/// A regex alternation of literal words, longest first.
pub(super) fn alternation(words: &[&str]) -> String {
    let mut sorted: Vec<&str> = words.to_vec();
    sorted.sort_by_key(|w| std::cmp::Reverse(w.len()));
    let escaped: Vec<String> = sorted.iter().map(|w| regex::escape(w)).collect();
    format!("(?:{})", escaped.join("|"))
}

/// Words that end an outlet's or a collection's name.
#[rustfmt::skip]
pub(super) const OUTLET_WORDS: &[&str] = &[
    "News", "Times", "Media", "Press", "Images", "Pictures", "Photos", "Photography", "TV",
    "Agency", "Studios", "Studio", "Museum", "Gallery", "Archive", "Archives", "Library",
    "Foundation", "University", "Institute", "Collection", "Auctions", "Handout", "Films",
    "Records", "Entertainment", "Productions", "Netflix", "HBO", "Police", "Department",
];

/// Words that end the name of a newspaper, broadcaster or public service (`Bismarck Tribune`,
/// `National Park Service`): an outlet only as the last of several words, never alone (`...
/// Post`, `... Service` end sentences too).
#[rustfmt::skip]
pub(super) const NAME_END_WORDS: &[&str] = &[
    "Tribune", "Post", "Herald", "Journal", "Gazette", "Telegraph", "Chronicle", "Observer",
    "Inquirer", "Courier", "Dispatch", "Examiner", "Bulletin", "Zeitung", "Service", "Network",
    "Magazine", "Survey", "Administration", "Agency",
];

/// Whether `w`, the last of several words, ends an outlet's name.
pub(super) fn ends_outlet_name(w: &str) -> bool {
    OUTLET_WORDS.contains(&w) || NAME_END_WORDS.contains(&w)
}

/// Newspapers named `The` and one word (`The Star`, `The Sun`): an outlet only with the article,
/// as the words alone end songs and sentences.
#[rustfmt::skip]
pub(super) const THE_PAPERS: &[&str] = &[
    "Star", "Sun", "Globe", "Mirror", "Independent", "Standard", "Express", "Guardian", "Age",
    "Australian", "Economist", "Atlantic", "Scotsman", "Hindu", "Oregonian", "Tennessean",
];
