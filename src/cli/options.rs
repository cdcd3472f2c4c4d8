//! How captions are normalised, compared and clustered: the option groups `cluster`, `dedup`,
//! `check`, `explain` and `strip` share, and the glue from them to a [`Report`].

use clap::{Args, ValueEnum};

use std::io;

use capdedup::decisions::Decisions;
use capdedup::input;
use capdedup::{
    BoilerplateMode, Canonical, Clustering, Collector, Deduper, Error, ErrorKind, Linkage, Metric,
    Progress, Report, Result, Veto,
};

use super::input::{InputArgs, Open};
use super::output::say;
use super::progress::ProgressBar;

/// How credits are stripped: shared by every command that reads captions.
#[derive(Debug, Args)]
pub struct CreditOptions {
    /// Do not strip credits: compare and show captions as written (whitespace tidied).
    #[arg(long, help_heading = "Normalisation")]
    pub keep_credits: bool,

    /// Also remove matches of REGEX as credits, wherever they match (repeatable; anchor
    /// with `$` to strip only at the end). Rust regex syntax.
    #[arg(long, value_name = "REGEX", help_heading = "Normalisation")]
    pub credit_pattern: Vec<String>,

    /// Learn repeated credit lines from the input (`auto`): a segment at the start or end of
    /// captions that recurs on captions whose other text differs and has the shape of a
    /// credit (names, an agency, a credit word, `/`, `©`; never a sentence, a date or a
    /// number) is stripped like a rule's credit. The JSON report lists them
    /// (`learned_credits`). `off` uses the built-in rules only.
    #[arg(long, value_enum, default_value_t = LearnArg::Auto, help_heading = "Normalisation")]
    pub learn_credits: LearnArg,

    /// On how many captions (with different other text) a segment must recur to be learned.
    #[arg(long, value_name = "N", default_value_t = 3, value_parser = clap::value_parser!(u64).range(2..), help_heading = "Normalisation")]
    pub learn_credits_min: u64,
}

/// `--learn-credits` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LearnArg {
    /// Learn repeated credit lines from the input.
    Auto,
    /// Built-in rules only.
    Off,
}

/// How two captions are compared: shared by `cluster`, `check` and `explain`.
#[derive(Debug, Args)]
pub struct CompareOptions {
    #[command(flatten)]
    pub credits: CreditOptions,

    /// Leave boilerplate context sentences out of the comparison (`auto`): a sentence that
    /// recurs after the first sentence in captions whose other text differs. `keep` compares
    /// whole captions.
    #[arg(long, value_enum, default_value_t = BoilerplateArg::Auto, help_heading = "Normalisation")]
    pub boilerplate: BoilerplateArg,

    /// In how many captions (with different other text) a sentence must recur to count as boilerplate.
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(u64).range(2..), help_heading = "Normalisation")]
    pub boilerplate_min: u64,

    /// Similarity at or above which two captions are the same, from 0 to 1.
    #[arg(short, long, value_name = "T", default_value_t = 0.9, value_parser = parse_threshold, help_heading = "Clustering")]
    pub threshold: f64,

    /// Similarity metric (all as computed by the strsim crate).
    #[arg(short, long, value_enum, default_value_t = MetricArg::Levenshtein, help_heading = "Clustering")]
    pub metric: MetricArg,

    /// Which differences of fact keep similar captions apart. `facts`: numbers, dates,
    /// weekdays and months must agree, and no content word may be substituted, added or
    /// removed (case, punctuation, accents, articles and prepositions, a typo inside a word,
    /// gallery counters and page furniture such as `hide caption` do not count); `numbers`:
    /// only numbers and dates; `none`: the similarity alone decides. `capdedup explain A B`
    /// shows the verdict for two captions.
    #[arg(long, value_enum, default_value_t = VetoArg::Facts, help_heading = "Clustering")]
    pub veto: VetoArg,
}

/// How records are selected, compared and clustered: shared by `cluster` and `check`.
/// `explain` compares two captions and takes only the [`CompareOptions`].
#[derive(Debug, Args)]
pub struct ClusterOptions {
    #[command(flatten)]
    pub compare: CompareOptions,

    /// Keep only records that carry a credit, so a raw page (article text and captions
    /// mixed) can be fed as it is.
    #[arg(long, help_heading = "Normalisation")]
    pub credited_only: bool,

    /// `centre`: the most frequent caption takes every caption within the threshold of it
    /// (no chaining); `single`: connected components (may chain).
    #[arg(long, value_enum, default_value_t = LinkageArg::Centre, help_heading = "Clustering")]
    pub linkage: LinkageArg,

    /// The caption shown for a cluster; ties are broken by content, never by position.
    #[arg(long, value_enum, default_value_t = CanonicalArg::MostFrequent, help_heading = "Clustering")]
    pub canonical: CanonicalArg,

    /// Compare every pair of distinct captions instead of using the candidate index: the exact
    /// answer for those who need a guarantee, in quadratic time.
    #[arg(long, help_heading = "Clustering")]
    pub exhaustive: bool,

    /// Review decisions to honour: the JSON file `capdedup report`'s page downloads. A `split`
    /// keeps two captions in different clusters, a `merge` puts them in one; decisions naming
    /// a caption no record has are reported, not errors.
    #[arg(long, value_name = "FILE", help_heading = "Clustering")]
    pub decisions: Option<String>,

    /// Worker threads (0: one per core). The output is the same for any number.
    #[arg(
        short = 'j',
        long,
        value_name = "N",
        default_value_t = 0,
        help_heading = "Clustering"
    )]
    pub threads: usize,
}

/// `--boilerplate` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum BoilerplateArg {
    /// Detect and leave out shared context sentences.
    Auto,
    /// Compare whole captions.
    Keep,
}

/// `--metric` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum MetricArg {
    /// 1 - edit distance / longer length (normalised Levenshtein).
    Levenshtein,
    /// Normalised Damerau-Levenshtein (transpositions count as one edit).
    Damerau,
    /// Normalised optimal string alignment (restricted Damerau).
    Osa,
    /// Jaro-Winkler.
    JaroWinkler,
    /// Sørensen-Dice over character bigrams.
    SorensenDice,
}

/// `--veto` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum VetoArg {
    /// Numbers, dates and content words must agree.
    Facts,
    /// Only numbers and dates must agree.
    Numbers,
    /// No veto: the similarity alone decides.
    None,
}

impl From<VetoArg> for Veto {
    fn from(v: VetoArg) -> Veto {
        match v {
            VetoArg::Facts => Veto::Facts,
            VetoArg::Numbers => Veto::Numbers,
            VetoArg::None => Veto::None,
        }
    }
}

/// `--linkage` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LinkageArg {
    /// Centre clustering (no chaining).
    #[value(alias = "center")]
    Centre,
    /// Single linkage (connected components).
    Single,
}

/// `--canonical` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CanonicalArg {
    /// The most frequent caption.
    MostFrequent,
    /// The caption of the earliest record.
    First,
    /// The longest caption.
    Longest,
    /// The shortest caption.
    Shortest,
}

pub fn parse_threshold(s: &str) -> std::result::Result<f64, String> {
    let t: f64 = s
        .parse()
        .map_err(|_| format!("`{s}` is not a number (expected 0 to 1)"))?;
    if (0.0..=1.0).contains(&t) {
        Ok(t)
    } else {
        Err(format!("{t} is out of range (expected 0 to 1)"))
    }
}

impl CreditOptions {
    pub fn builder(&self) -> capdedup::Builder {
        self.credit_pattern.iter().fold(
            Deduper::builder()
                .keep_credits(self.keep_credits)
                .learn_credits(self.learn_credits == LearnArg::Auto)
                .learn_credits_min(self.learn_credits_min as usize),
            |b, p| b.credit_pattern(p.clone()),
        )
    }
}

impl CompareOptions {
    /// The builder set for these options; the cluster-only settings keep their defaults.
    pub fn builder(&self) -> capdedup::Builder {
        self.credits
            .builder()
            .threshold(self.threshold)
            .metric(match self.metric {
                MetricArg::Levenshtein => Metric::Levenshtein,
                MetricArg::Damerau => Metric::Damerau,
                MetricArg::Osa => Metric::Osa,
                MetricArg::JaroWinkler => Metric::JaroWinkler,
                MetricArg::SorensenDice => Metric::SorensenDice,
            })
            .boilerplate(match self.boilerplate {
                BoilerplateArg::Auto => BoilerplateMode::Auto,
                BoilerplateArg::Keep => BoilerplateMode::Keep,
            })
            .boilerplate_min(self.boilerplate_min as usize)
            .veto(self.veto.into())
    }
}

impl ClusterOptions {
    pub fn deduper(&self) -> Result<Deduper> {
        let mut builder = self.compare.builder();
        if let Some(path) = &self.decisions {
            let file = std::fs::File::open(path).map_err(|e| {
                Error::at(
                    path,
                    None,
                    ErrorKind::Decisions(format!("cannot open it: {e}")),
                )
            })?;
            builder = builder.decisions(Decisions::read(path, io::BufReader::new(file))?);
        }
        builder
            .credited_only(self.credited_only)
            .linkage(match self.linkage {
                LinkageArg::Centre => Linkage::Centre,
                LinkageArg::Single => Linkage::Single,
            })
            .canonical(match self.canonical {
                CanonicalArg::MostFrequent => Canonical::MostFrequent,
                CanonicalArg::First => Canonical::First,
                CanonicalArg::Longest => Canonical::Longest,
                CanonicalArg::Shortest => Canonical::Shortest,
            })
            .exhaustive(self.exhaustive)
            .build()
    }

    /// Reads every input and clusters it, records stripped in batches on all cores, with a
    /// progress bar on a terminal unless `quiet`.
    pub fn report(&self, input: &InputArgs, quiet: bool) -> Result<Report> {
        self.report_in(input, quiet, &input::open_detected)
    }

    /// [`ClusterOptions::report`], each file opened with `open`.
    pub fn report_in(&self, input: &InputArgs, quiet: bool, open: &Open<'_>) -> Result<Report> {
        let report = self.collect_in(input, quiet, open, |c, progress| c.finish_with(progress))?;
        self.tell_decisions(&report, quiet);
        Ok(report)
    }

    /// With `--decisions`, says on stderr what became of them (unless `quiet`).
    fn tell_decisions(&self, report: &Report, quiet: bool) {
        if let (Some(path), Some(d), false) = (&self.decisions, &report.decisions, quiet) {
            say(format_args!(
                "{path}: {} decision{} applied, {} unmatched, {} conflicting",
                d.applied.len(),
                if d.applied.len() == 1 { "" } else { "s" },
                d.unmatched.len(),
                d.conflicting.len()
            ));
        }
    }

    /// Reads every input and clusters it, like [`ClusterOptions::report`], keeping the
    /// clusters to be built as they are written.
    pub fn clustering(&self, input: &InputArgs, quiet: bool) -> Result<Clustering> {
        let clustering = self.collect_in(input, quiet, &input::open_detected, |c, progress| {
            c.finish_clustering(progress)
        })?;
        self.tell_decisions(clustering.head(), quiet);
        Ok(clustering)
    }

    /// Reads every input into a collector, each file opened with `open`, and hands it to
    /// `finish` with the progress bar.
    fn collect_in<T>(
        &self,
        input: &InputArgs,
        quiet: bool,
        open: &Open<'_>,
        finish: impl FnOnce(Collector<'_>, &dyn Progress) -> T,
    ) -> Result<T> {
        let deduper = self.deduper()?;
        if self.threads > 0 {
            // Only fails if a pool already exists, and then that pool is used: harmless.
            let _ = rayon::ThreadPoolBuilder::new()
                .num_threads(self.threads)
                .build_global();
        }
        let progress = ProgressBar::new(!quiet);
        let mut collector = deduper.collector();
        progress.phase("reading", 0);
        // One thread reads and decodes batches of records while the collector strips one
        // batch on all cores and adds the one before.
        // A batch is one buffer of text with the line and the span of each record in it
        // (a string per record would cost an allocation, and a free on another thread).
        // The buffers go back to the reader once their batch is added, and the reader
        // fills them again: the same few buffers serve the whole input. A new pair for
        // every batch, allocated on the reader's thread and freed on this one, stayed
        // resident until the reader ended (the allocator returns memory freed by another
        // thread lazily): the whole input's size, 320 MB more at the peak of reading a
        // million long captions.
        type Buffers = (String, Vec<(u64, usize, usize)>);
        type Batch = (String, String, Vec<(u64, usize, usize)>);
        let (send, batches) = std::sync::mpsc::sync_channel::<Batch>(2);
        let (give_back, given_back) = std::sync::mpsc::channel::<Buffers>();
        std::thread::scope(|scope| -> Result<()> {
            let reader = scope.spawn(move || {
                // A buffer a huge record grew (one line of 100 MB) is let go, not kept for
                // the rest of the input.
                let fresh = || -> Buffers {
                    match given_back.try_recv() {
                        Ok((mut text, mut spans)) if text.capacity() <= 2 * BATCH_BYTES => {
                            text.clear();
                            spans.clear();
                            (text, spans)
                        }
                        _ => (
                            String::with_capacity(BATCH_BYTES + (1 << 16)),
                            Vec::with_capacity(BATCH),
                        ),
                    }
                };
                let (mut text_buf, mut spans) = fresh();
                let mut batch_file = String::new();
                let sent = input.for_each_record_in(open, true, |file, line, text| {
                    if spans.len() == BATCH
                        || text_buf.len() >= BATCH_BYTES
                        || (file != batch_file && !spans.is_empty())
                    {
                        let (next_text, next_spans) = fresh();
                        let full = (
                            batch_file.clone(),
                            std::mem::replace(&mut text_buf, next_text),
                            std::mem::replace(&mut spans, next_spans),
                        );
                        // The receiver only hangs up when it panicked.
                        let _ = send.send(full);
                    }
                    if file != batch_file {
                        file.clone_into(&mut batch_file);
                    }
                    spans.push((line, text_buf.len(), text_buf.len() + text.len()));
                    text_buf.push_str(text);
                    Ok(())
                });
                let _ = send.send((batch_file, text_buf, spans));
                sent
            });
            for (file, text, spans) in batches {
                let records: Vec<(u64, &str)> = spans
                    .iter()
                    .map(|&(line, from, to)| (line, &text[from..to]))
                    .collect();
                collector.push_batch(&file, &records);
                progress.advance(records.len() as u64);
                drop(records);
                // Fails only once the reader is done: then the buffers are freed here.
                let _ = give_back.send((text, spans));
            }
            reader.join().expect("the reader thread does not panic")
        })?;
        progress.done();
        let finished = finish(collector, &progress);
        progress.clear();
        Ok(finished)
    }
}

/// Records stripped together on all cores: at most this many,
const BATCH: usize = 32768;
/// and of at most about this many bytes.
const BATCH_BYTES: usize = 8 << 20;
