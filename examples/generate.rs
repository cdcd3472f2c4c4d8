//! Generates realistic long news-style photo captions, deterministically from a seed, for
//! benchmarks that must not depend on downloaded data.
//!
//! ```sh
//! cargo run --release --example generate -- --count 1000000 --seed 42 > /tmp/captions.txt
//! ```
//!
//! Each caption is a scene sentence (who, doing what, where, when), usually one or two agency
//! context sentences drawn from a small shared pool (boilerplate), and a credit in one of the
//! common styles, 200 to 400 characters in all. Of the records, about 30% repeat an earlier
//! caption exactly (often with a doubled credit trailer), and about 10% repeat one with a small
//! edit: a changed word, a typo, a different context sentence or a different credit.

use std::io::{self, BufWriter, Write};

/// A small, fast, deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const FIRST: &[&str] = &[
    "Maria", "John", "Olena", "Ahmed", "Li", "Sofia", "Pavel", "Amara", "Carlos", "Yuki", "Fatima",
    "Tomasz", "Grace", "Ivan", "Aisha", "Lukas", "Priya", "Mateo", "Hannah", "Kwame",
];
const LAST: &[&str] = &[
    "Kovalenko",
    "Smith",
    "Haddad",
    "Wei",
    "Rossi",
    "Nowak",
    "Okafor",
    "Garcia",
    "Tanaka",
    "Petrov",
    "Schmidt",
    "Mensah",
    "Dubois",
    "Novak",
    "Silva",
    "Kim",
    "Andersson",
    "Moreau",
    "Jensen",
    "Costa",
];
const WHO: &[&str] = &[
    "Riot police officers",
    "Protesters",
    "Firefighters",
    "Rescue workers",
    "Supporters of the opposition",
    "Farmers",
    "Students",
    "Residents",
    "Soldiers",
    "Medical workers",
    "Fans",
    "Volunteers",
    "Commuters",
    "Election officials",
    "Fishermen",
    "Delegates",
];
const DO: &[&str] = &[
    "detain a protester during a rally against the official election results",
    "gather in front of the parliament building during a demonstration",
    "clear debris from a collapsed building after heavy flooding",
    "march with national flags through the city centre",
    "wait in line to cast their ballots at a polling station",
    "carry sandbags to reinforce a river embankment",
    "celebrate the victory of their team after the final match",
    "inspect the damage caused by an overnight missile strike",
    "hand out food and water to people displaced by the fighting",
    "block a highway with tractors during a protest over fuel prices",
    "light candles at a makeshift memorial for the victims",
    "evacuate elderly residents from a flooded neighbourhood",
    "attend a funeral ceremony for a fallen colleague",
    "hold placards outside the courthouse during the trial",
];
const PLACE: &[&str] = &[
    "Minsk, Belarus",
    "Kyiv, Ukraine",
    "Paris, France",
    "Lagos, Nigeria",
    "Manila, Philippines",
    "Sao Paulo, Brazil",
    "Dhaka, Bangladesh",
    "Berlin, Germany",
    "Istanbul, Turkey",
    "Lima, Peru",
    "Nairobi, Kenya",
    "Seoul, South Korea",
    "Warsaw, Poland",
    "Madrid, Spain",
    "Jakarta, Indonesia",
];
const DAY: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const MONTH: &[&str] = &[
    "Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.",
    "Dec.",
];
const CONTEXT: &[&str] = &[
    "Protests calling for the president's resignation have broken out daily since the disputed election that officials say handed him a sixth term in office.",
    "More than 100,000 demonstrators marched in the capital on Sunday as the daily protests that have gripped the nation entered their sixth week.",
    "Heavy rains have caused rivers to burst their banks across the region, forcing tens of thousands of people to leave their homes.",
    "The government has declared a state of emergency in the affected provinces and called in the army to help with the rescue effort.",
    "The conflict has killed thousands of civilians and driven millions from their homes since the invasion began.",
    "Prices for fuel and fertiliser have more than doubled over the past year, squeezing farmers already struggling with drought.",
    "Officials said turnout was higher than in the previous election, despite long queues and scattered reports of irregularities.",
    "The tournament drew record crowds this year, with tickets for the final selling out within minutes.",
];
const AGENCY: &[&str] = &["AP", "AFP", "Reuters", "EPA", "Getty Images", "dpa"];

fn name(rng: &mut Rng) -> String {
    format!("{} {}", rng.pick(FIRST), rng.pick(LAST))
}

fn credit(rng: &mut Rng) -> String {
    let n = name(rng);
    match rng.below(7) {
        0 => "(AP Photo) Credit: Uncredited Credit: Uncredited".to_owned(),
        1 => format!("(AP Photo/{n})"),
        2 => format!("{n}/{}", rng.pick(AGENCY)),
        3 => format!("REUTERS/{n}"),
        4 => format!("(Photo by {n}/AFP via Getty Images)"),
        5 => format!("Photo: {n}"),
        _ => format!("(TUT.by via AP) Credit: {n} Credit: {n}"),
    }
}

/// The caption without its credit: a scene sentence plus context sentences, 200-400 chars.
fn body(rng: &mut Rng) -> String {
    let mut s = format!(
        "{} {} in {}, {}, {} {}, {}.",
        rng.pick(WHO),
        rng.pick(DO),
        rng.pick(PLACE),
        rng.pick(DAY),
        rng.pick(MONTH),
        1 + rng.below(28),
        2015 + rng.below(10),
    );
    if rng.chance(40) {
        s.push_str(&format!(
            " {} said the situation remained tense.",
            name(rng)
        ));
    }
    while s.len() < 200 || (s.len() < 300 && rng.chance(40)) {
        s.push(' ');
        s.push_str(rng.pick(CONTEXT));
    }
    if s.len() > 400 {
        let cut = s[..400].rfind(". ").map_or(400, |i| i + 1);
        s.truncate(cut);
    }
    s
}

/// A small edit of a caption body: a typo, a changed word, or a different context sentence.
fn edit(rng: &mut Rng, text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    match rng.below(3) {
        0 => {
            // One to three typos.
            for _ in 0..1 + rng.below(3) {
                let i = rng.below(chars.len());
                match rng.below(3) {
                    0 => chars[i] = (b'a' + rng.below(26) as u8) as char,
                    1 => {
                        chars.remove(i);
                    }
                    _ => chars.insert(i, (b'a' + rng.below(26) as u8) as char),
                }
            }
            chars.into_iter().collect()
        }
        1 => text
            .replacen(" the ", " a ", 1)
            .replacen(" during ", " at ", 1),
        _ => match text.find(". ") {
            Some(i) => format!("{}. {}", &text[..i], rng.pick(CONTEXT)),
            None => format!("{text} {}", rng.pick(CONTEXT)),
        },
    }
}

fn main() -> io::Result<()> {
    let mut count = 1_000_000usize;
    let mut seed = 42u64;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().unwrap_or_default();
        match arg.as_str() {
            "--count" => count = value.parse().expect("--count takes a number"),
            "--seed" => seed = value.parse().expect("--seed takes a number"),
            _ => {
                eprintln!("usage: generate [--count N] [--seed S] > captions.txt");
                std::process::exit(2);
            }
        }
    }
    let mut rng = Rng(seed);
    let mut bodies: Vec<String> = Vec::new();
    let mut out = BufWriter::new(io::stdout().lock());
    for _ in 0..count {
        let roll = rng.below(100);
        let line = if roll < 30 && !bodies.is_empty() {
            // An exact repeat of an earlier caption (credit style may differ, as in scrapes).
            let b = bodies[rng.below(bodies.len())].clone();
            format!("{b} {}", credit(&mut rng))
        } else if roll < 40 && !bodies.is_empty() {
            let b = bodies[rng.below(bodies.len())].clone();
            format!("{} {}", edit(&mut rng, &b), credit(&mut rng))
        } else {
            let b = body(&mut rng);
            let line = format!("{b} {}", credit(&mut rng));
            bodies.push(b);
            line
        };
        writeln!(out, "{line}")?;
    }
    out.flush()
}
