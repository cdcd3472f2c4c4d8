//! Python bindings of capdedup: the pipeline's stages over Arrow arrays, one batch per call,
//! with no per-row Python work, and the one-call `cluster` returning the JSON contract.
//!
//! Every function releases the GIL while Rust works. Arrays come in and go out through the
//! Arrow C data interface (pyarrow), without copying the strings.

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Int8Type, Int16Type, Int32Type, Int64Type, UInt8Type, UInt16Type, UInt32Type, UInt64Type,
};
use arrow_array::{
    Array, ArrayRef, BooleanArray, Float64Array, Int64Array, StringArray, UInt32Array, UInt64Array,
    make_array,
};
use arrow_data::ArrayData;
use arrow_pyarrow::PyArrowType;
use arrow_schema::DataType;
use capdedup::dedup::Keep;
use capdedup::facts::Facts;
use capdedup::index::{self, EXACT_BIT};
use capdedup::linkage::{Histogram, KeyRef, centre_order, link};
use capdedup::normalize::{
    CreditStripper, Edge, LearnedCredits, LearnedLine, NAME_MIN, credit_identity, fold_key,
    name_evidence, record_hash,
};
use capdedup::sentences::Boilerplate;
use capdedup::similarity::{Scorer, max_distance};
use capdedup::{BoilerplateMode, Canonical, Deduper, Linkage, Metric, Veto};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use rayon::prelude::*;

type PyArray = PyArrowType<ArrayData>;

fn value_error(e: impl std::fmt::Display) -> PyErr {
    PyValueError::new_err(e.to_string())
}

fn out(array: impl Array) -> PyArray {
    PyArrowType(array.into_data())
}

/// The strings of a string, large string or string view array (`None` for nulls).
fn strings(array: &ArrayRef) -> PyResult<Vec<Option<&str>>> {
    Ok(match array.data_type() {
        DataType::Utf8 => array.as_string::<i32>().iter().collect(),
        DataType::LargeUtf8 => array.as_string::<i64>().iter().collect(),
        DataType::Utf8View => array.as_string_view().iter().collect(),
        // pyarrow types a list of only `None` as null.
        DataType::Null => vec![None; array.len()],
        other => {
            return Err(value_error(format!(
                "expected an array of strings, got {other}"
            )));
        }
    })
}

/// The values of an integer array of any width and sign, each as a `T` (`what` names the
/// array in errors). Nulls, non-integers and values out of `T`'s range are refused with an
/// error: never wrapped, and never turned into a null and read as 0.
fn integers<T: TryFrom<i128>>(array: ArrayData, what: &str) -> PyResult<Vec<T>> {
    let array = make_array(array);
    if array.null_count() > 0 {
        return Err(value_error(format!("{what} must not contain nulls")));
    }
    macro_rules! widen {
        ($($kind:ident => $type:ty),*) => {
            match array.data_type() {
                $(DataType::$kind => array
                    .as_primitive::<$type>()
                    .values()
                    .iter()
                    .map(|&v| i128::from(v))
                    .collect::<Vec<i128>>(),)*
                other => {
                    return Err(value_error(format!(
                        "{what}: expected integers, got {other}"
                    )));
                }
            }
        };
    }
    let wide = widen!(
        Int8 => Int8Type, Int16 => Int16Type, Int32 => Int32Type, Int64 => Int64Type,
        UInt8 => UInt8Type, UInt16 => UInt16Type, UInt32 => UInt32Type, UInt64 => UInt64Type
    );
    wide.into_iter()
        .map(|v| {
            T::try_from(v).map_err(|_| {
                value_error(format!(
                    "{what}: {v} does not fit an unsigned {}-bit integer",
                    8 * std::mem::size_of::<T>()
                ))
            })
        })
        .collect()
}

fn u64s(array: ArrayData, what: &str) -> PyResult<Vec<u64>> {
    integers(array, what)
}

fn u32s(array: ArrayData, what: &str) -> PyResult<Vec<u32>> {
    integers(array, what)
}

fn metric(name: &str) -> PyResult<Metric> {
    name.parse().map_err(value_error)
}

fn stripper(keep_credits: bool, credit_patterns: Vec<String>) -> PyResult<CreditStripper> {
    CreditStripper::new(&credit_patterns, !keep_credits).map_err(value_error)
}

/// strip(captions, keep_credits=False, credit_patterns=()) -> (captions, credits)
#[pyfunction]
#[pyo3(signature = (captions, keep_credits = false, credit_patterns = Vec::new()))]
fn strip(
    py: Python<'_>,
    captions: PyArray,
    keep_credits: bool,
    credit_patterns: Vec<String>,
) -> PyResult<(PyArray, PyArray)> {
    let stripper = stripper(keep_credits, credit_patterns)?;
    let array = make_array(captions.0);
    let texts = strings(&array)?;
    let (caption, credit): (Vec<Option<String>>, Vec<Option<String>>) = py.detach(|| {
        texts
            .par_iter()
            .map(|t| match t {
                Some(t) => {
                    let s = stripper.strip(t);
                    (Some(s.caption), s.credit)
                }
                None => (None, None),
            })
            .unzip()
    });
    Ok((
        out(StringArray::from(caption)),
        out(StringArray::from(credit)),
    ))
}

/// credit_identity(credits) -> identities
///
/// What tells credit-only records apart: two records that are only a credit are the same
/// caption exactly when their credits' identities are (`Photo: Getty Images` and
/// `GETTY IMAGES` are; `Jane Roe/AP` and `John Doe/AP` are not). Nulls stay null.
#[pyfunction]
#[pyo3(name = "credit_identity")]
fn credit_identity_of(py: Python<'_>, credits: PyArray) -> PyResult<PyArray> {
    let array = make_array(credits.0);
    let texts = strings(&array)?;
    let ids: Vec<Option<String>> =
        py.detach(|| texts.par_iter().map(|t| t.map(credit_identity)).collect());
    Ok(out(StringArray::from(ids)))
}

fn edge_name(edge: Edge) -> &'static str {
    match edge {
        Edge::Start => "start",
        Edge::End => "end",
        Edge::Bare => "bare",
        Edge::Whole => "whole",
    }
}

/// name_credits(captions, credits) -> (keys, names, records)
///
/// What learning credit names counts, over the records as the rules left them (`captions`
/// and their `credits`, null for none): each name of each credit, its key (lower case), its
/// written form and the record's identity (a hash of caption and credit). A name is learned
/// when at least `NAME_MIN` distinct records come with its key and no caption mentions it
/// (`name_mentions`); it is written as its smallest written form.
#[pyfunction]
fn name_credits(
    py: Python<'_>,
    captions: PyArray,
    credits: PyArray,
) -> PyResult<(PyArray, PyArray, PyArray)> {
    let captions = make_array(captions.0);
    let credits = make_array(credits.0);
    let captions = strings(&captions)?;
    let credits = strings(&credits)?;
    let rows: Vec<(String, String, i64)> = py.detach(|| {
        captions
            .par_iter()
            .zip(&credits)
            .flat_map_iter(|(caption, credit)| {
                let caption = caption.unwrap_or_default();
                let record = credit.map(|c| record_hash(caption, c) as i64);
                name_evidence("", *credit)
                    .credited
                    .into_iter()
                    .map(move |(key, name)| (key, name, record.unwrap_or_default()))
            })
            .collect()
    });
    Ok((
        out(StringArray::from(
            rows.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(),
        )),
        out(StringArray::from(
            rows.iter().map(|r| r.1.as_str()).collect::<Vec<_>>(),
        )),
        out(Int64Array::from(
            rows.iter().map(|r| r.2).collect::<Vec<_>>(),
        )),
    ))
}

/// name_mentions(captions) -> keys
///
/// The keys of the names the distinct stripped `captions` mention inside their text (not
/// where a credit stands): a credit name any caption mentions is never learned.
#[pyfunction]
fn name_mentions(py: Python<'_>, captions: PyArray) -> PyResult<PyArray> {
    let array = make_array(captions.0);
    let texts = strings(&array)?;
    let keys: Vec<String> = py.detach(|| {
        texts
            .par_iter()
            .flat_map_iter(|t| name_evidence(t.unwrap_or(""), None).mentioned)
            .collect()
    });
    Ok(out(StringArray::from(keys)))
}

/// learn_segments(captions) -> (edge, segment, rest)
///
/// What learning credit lines counts, over distinct stripped captions: each segment at a
/// caption's start or end shaped like a credit line, its edge
/// (`start`, `end`) and the caption's other text folded (null when the caption is too long
/// to learn from). A segment is learned when at least `learn_credits_min` distinct rests come
/// with it over all captions, or when it is `signed_lines` and one of its non-empty rests is
/// a caption's `fold` (the caption also comes without it); its count is its number of rows.
#[pyfunction]
fn learn_segments(py: Python<'_>, captions: PyArray) -> PyResult<(PyArray, PyArray, PyArray)> {
    let array = make_array(captions.0);
    let texts = strings(&array)?;
    let rows: Vec<(Edge, &str, Option<String>)> = py.detach(|| {
        texts
            .par_iter()
            .flat_map_iter(|t| LearnedCredits::candidates(t.unwrap_or("")))
            .collect()
    });
    Ok((
        out(StringArray::from(
            rows.iter().map(|r| edge_name(r.0)).collect::<Vec<_>>(),
        )),
        out(StringArray::from(
            rows.iter().map(|r| r.1).collect::<Vec<_>>(),
        )),
        out(StringArray::from(
            rows.iter().map(|r| r.2.as_deref()).collect::<Vec<_>>(),
        )),
    ))
}

/// signed_lines(segments) -> signed
///
/// Whether each segment is signed as a credit line strongly enough to be learned from one
/// caption that also comes without it (`LearnedCredits::signed`: a slash between names, `©`,
/// an agency, a credit word labelling a name, a bracket of names; no sentence end).
#[pyfunction]
fn signed_lines(py: Python<'_>, segments: PyArray) -> PyResult<PyArray> {
    let array = make_array(segments.0);
    let texts = strings(&array)?;
    let signed: Vec<Option<bool>> = py.detach(|| {
        texts
            .par_iter()
            .map(|t| t.map(LearnedCredits::signed))
            .collect()
    });
    Ok(out(BooleanArray::from(signed)))
}

/// fold(captions) -> folded
///
/// Each caption folded as learning compares a segment's rest with the captions (case,
/// accents, widths and spaces folded; null stays null).
#[pyfunction]
fn fold(py: Python<'_>, captions: PyArray) -> PyResult<PyArray> {
    let array = make_array(captions.0);
    let texts = strings(&array)?;
    let folded: Vec<Option<String>> =
        py.detach(|| texts.par_iter().map(|t| t.map(fold_key)).collect());
    Ok(out(StringArray::from(folded)))
}

/// strip_learned(captions, lines) -> (captions, removed)
///
/// Strips learned credit lines (`lines`: `(edge, text)` pairs, as `learn_segments` names
/// the edges) off stripped captions, as the command line does after learning: the caption
/// left and the lines removed (null when none was there, the caption then unchanged).
#[pyfunction]
fn strip_learned(
    py: Python<'_>,
    captions: PyArray,
    lines: Vec<(String, String)>,
) -> PyResult<(PyArray, PyArray)> {
    let lines = lines
        .into_iter()
        .map(|(edge, text)| {
            let place = match edge.as_str() {
                "start" => Edge::Start,
                "end" => Edge::End,
                "bare" => Edge::Bare,
                "whole" => Edge::Whole,
                other => return Err(value_error(format!("unknown edge `{other}`"))),
            };
            Ok(LearnedLine {
                text,
                place,
                captions: 0,
            })
        })
        .collect::<PyResult<Vec<_>>>()?;
    let learned = LearnedCredits::from_lines(lines);
    let array = make_array(captions.0);
    let texts = strings(&array)?;
    let (caption, removed): (Vec<Option<String>>, Vec<Option<String>>) = py.detach(|| {
        texts
            .par_iter()
            .map(|t| match t.map(|t| (t, learned.strip(t))) {
                Some((_, Some((caption, line)))) => (Some(caption), Some(line)),
                Some((t, None)) => (Some(t.to_owned()), None),
                None => (None, None),
            })
            .unzip()
    });
    Ok((
        out(StringArray::from(caption)),
        out(StringArray::from(removed)),
    ))
}

/// boilerplate_contexts(captions) -> (sentences, context_hashes)
#[pyfunction]
fn boilerplate_contexts(py: Python<'_>, captions: PyArray) -> PyResult<(PyArray, PyArray)> {
    let array = make_array(captions.0);
    let texts = strings(&array)?;
    let (sentences, hashes): (Vec<String>, Vec<i64>) = py.detach(|| {
        texts
            .par_iter()
            .flat_map_iter(|t| Boilerplate::contexts(t.unwrap_or("")))
            // The hash is a bit pattern; i64 because Spark has no unsigned 64-bit type.
            .map(|(s, h)| (s, h as i64))
            .unzip()
    });
    Ok((
        out(StringArray::from(sentences)),
        out(Int64Array::from(hashes)),
    ))
}

/// detect_boilerplate(captions, min_captions=2) -> list[str]
#[pyfunction]
#[pyo3(signature = (captions, min_captions = 2))]
fn detect_boilerplate(
    py: Python<'_>,
    captions: PyArray,
    min_captions: usize,
) -> PyResult<Vec<String>> {
    let array = make_array(captions.0);
    let texts = strings(&array)?;
    Ok(py.detach(|| {
        let mut seen = std::collections::HashMap::<String, std::collections::HashSet<u64>>::new();
        for t in texts.iter().flatten() {
            for (s, h) in Boilerplate::contexts(t) {
                seen.entry(s).or_default().insert(h);
            }
        }
        let mut found: Vec<String> = seen
            .into_iter()
            .filter(|(_, rests)| rests.len() >= min_captions.max(2))
            .map(|(s, _)| s)
            .collect();
        found.sort_unstable();
        found
    }))
}

/// keys(captions, boilerplate=None) -> (keys, lengths)
#[pyfunction]
#[pyo3(signature = (captions, boilerplate = None))]
fn keys(
    py: Python<'_>,
    captions: PyArray,
    boilerplate: Option<Vec<String>>,
) -> PyResult<(PyArray, PyArray)> {
    let array = make_array(captions.0);
    let texts = strings(&array)?;
    let boilerplate = Boilerplate::from_contexts(
        boilerplate.unwrap_or_default().into_iter().map(|s| (s, 2)),
        2,
    );
    let (keys, lens): (Vec<Option<String>>, Vec<Option<u32>>) = py.detach(|| {
        texts
            .par_iter()
            .map(|t| match t {
                Some(t) => {
                    let key = boilerplate.key_of(t).0;
                    let len = key.chars().count() as u32;
                    (Some(key), Some(len))
                }
                None => (None, None),
            })
            .unzip()
    });
    Ok((out(StringArray::from(keys)), out(UInt32Array::from(lens))))
}

/// blocking_keys(keys, row_ids, threshold) -> (tokens, row_ids)
#[pyfunction]
fn blocking_keys(
    py: Python<'_>,
    keys: PyArray,
    row_ids: PyArray,
    threshold: f64,
) -> PyResult<(PyArray, PyArray)> {
    let array = make_array(keys.0);
    let texts = strings(&array)?;
    let ids = u64s(row_ids.0, "row_ids")?;
    check_lengths(texts.len(), ids.len())?;
    let (tokens, rows): (Vec<u32>, Vec<u64>) = py.detach(|| {
        let refs: Vec<(&str, usize)> = texts
            .iter()
            .map(|t| {
                let t = t.unwrap_or("");
                (t, t.chars().count())
            })
            .collect();
        index::blocking_keys(&refs, threshold)
            .into_iter()
            .map(|(token, id)| (token, ids[id as usize]))
            .unzip()
    });
    Ok((out(UInt32Array::from(tokens)), out(UInt64Array::from(rows))))
}

fn check_lengths(a: usize, b: usize) -> PyResult<()> {
    if a != b {
        return Err(value_error(format!(
            "arrays differ in length ({a} and {b})"
        )));
    }
    Ok(())
}

/// key_tokens(keys, row_ids, threshold) -> (row_ids, tokens, frequency_keys, lists, kept)
#[pyfunction]
fn key_tokens(
    py: Python<'_>,
    keys: PyArray,
    row_ids: PyArray,
    threshold: f64,
) -> PyResult<(PyArray, PyArray, PyArray, PyArray, PyArray)> {
    let array = make_array(keys.0);
    let texts = strings(&array)?;
    let ids = u64s(row_ids.0, "row_ids")?;
    check_lengths(texts.len(), ids.len())?;
    type Row = (u64, u32, u32, u32, u32);
    let rows: Vec<Row> = py.detach(|| {
        texts
            .par_iter()
            .zip(&ids)
            .flat_map_iter(|(t, &id)| {
                let t = t.unwrap_or("");
                let tokens = index::key_tokens(t, t.chars().count(), threshold);
                let kept = tokens.fingerprints_kept as u32;
                let mut rows: Vec<Row> = tokens
                    .fingerprints
                    .iter()
                    .map(|&f| (id, f, index::frequency_slot(f), 0, kept))
                    .collect();
                for (list, (exact, kept)) in tokens.exact.iter().enumerate() {
                    rows.extend(
                        exact
                            .iter()
                            .map(|&tok| (id, tok, tok, list as u32 + 1, *kept as u32)),
                    );
                }
                rows
            })
            .collect()
    });
    let col = |f: fn(&Row) -> u32| UInt32Array::from(rows.iter().map(f).collect::<Vec<_>>());
    Ok((
        out(UInt64Array::from(
            rows.iter().map(|r| r.0).collect::<Vec<_>>(),
        )),
        out(col(|r| r.1)),
        out(col(|r| r.2)),
        out(col(|r| r.3)),
        out(col(|r| r.4)),
    ))
}

/// verify(left, right, threshold, metric="levenshtein", veto="facts") -> similarities (null
/// below the threshold or vetoed: the pair's keys differ in a fact, as `--veto` decides)
#[pyfunction]
#[pyo3(signature = (left, right, threshold, metric = "levenshtein", veto = "facts"))]
fn verify(
    py: Python<'_>,
    left: PyArray,
    right: PyArray,
    threshold: f64,
    metric: &str,
    veto: &str,
) -> PyResult<PyArray> {
    let metric = self::metric(metric)?;
    let veto: Veto = veto.parse().map_err(value_error)?;
    let (l, r) = (make_array(left.0), make_array(right.0));
    let (l, r) = (strings(&l)?, strings(&r)?);
    check_lengths(l.len(), r.len())?;
    let sims: Vec<Option<f64>> = py.detach(|| {
        l.par_iter()
            .zip(&r)
            .map(|(a, b)| {
                let (a, b) = (a.unwrap_or(""), b.unwrap_or(""));
                Scorer::new(metric, threshold, a, a.chars().count())
                    .within(b, b.chars().count())
                    .filter(|_| {
                        a == b
                            || veto == Veto::None
                            || Facts::of(a).verdict(&Facts::of(b), veto).is_none()
                    })
            })
            .collect()
    });
    Ok(out(Float64Array::from(sims)))
}

/// verify_runs(keys, ends, threshold, metric="levenshtein", veto="facts") -> (left, right, similarity)
///
/// Each row `i` verified against the rows `i + 1 .. ends[i]` after it (the Spark pipeline's
/// posting groups, sorted by length, cut at the length window): the pairs whose similarity
/// reaches `threshold`, as row positions. One scorer per row and no pair materialised, so
/// the many candidate pairs of a group never leave Rust; the command line's character
/// histogram bound rejects most before the kernel runs (for the edit-distance metrics). Pairs
/// whose keys differ in a fact (`veto`, as `--veto`) are left out. Not re-exported by
/// `capdedup`: an internal of `capdedup.spark`.
#[pyfunction]
#[pyo3(signature = (keys, ends, threshold, metric = "levenshtein", veto = "facts"))]
fn verify_runs(
    py: Python<'_>,
    keys: PyArray,
    ends: PyArray,
    threshold: f64,
    metric: &str,
    veto: &str,
) -> PyResult<(PyArray, PyArray, PyArray)> {
    let metric = self::metric(metric)?;
    let veto: Veto = veto.parse().map_err(value_error)?;
    let array = make_array(keys.0);
    let texts = strings(&array)?;
    let ends = u64s(ends.0, "ends")?;
    check_lengths(texts.len(), ends.len())?;
    let n = texts.len();
    if let Some(i) = (0..n).find(|&i| ends[i] < i as u64 + 1 || ends[i] > n as u64) {
        return Err(value_error(format!(
            "ends[{i}] = {} is outside {}..={n}",
            ends[i],
            i + 1
        )));
    }
    let edges: Vec<(u64, u64, f64)> = py.detach(|| {
        let texts: Vec<&str> = texts.iter().map(|t| t.unwrap_or("")).collect();
        let lens: Vec<usize> = texts.par_iter().map(|t| t.chars().count()).collect();
        let bounded = metric.length_bounded();
        let histograms: Vec<Histogram> = if bounded {
            texts.par_iter().map(|t| Histogram::of(t)).collect()
        } else {
            Vec::new()
        };
        let (texts, lens, ends, histograms) = (&texts, &lens, &ends, &histograms);
        (0..n)
            .into_par_iter()
            .filter(|&i| ends[i] as usize > i + 1)
            .flat_map_iter(|i| {
                let scorer = Scorer::new(metric, threshold, texts[i], lens[i]);
                (i + 1..ends[i] as usize).filter_map(move |j| {
                    if bounded {
                        let k = max_distance(lens[i].max(lens[j]), threshold);
                        if histograms[i].edit_lower_bound(&histograms[j]) > k {
                            return None;
                        }
                    }
                    let s = scorer.within(texts[j], lens[j])?;
                    let (a, b) = (texts[i], texts[j]);
                    let agree = a == b
                        || veto == Veto::None
                        || Facts::of(a).verdict(&Facts::of(b), veto).is_none();
                    agree.then_some((i as u64, j as u64, s))
                })
            })
            .collect()
    });
    Ok((
        out(UInt64Array::from(
            edges.iter().map(|e| e.0).collect::<Vec<_>>(),
        )),
        out(UInt64Array::from(
            edges.iter().map(|e| e.1).collect::<Vec<_>>(),
        )),
        out(Float64Array::from(
            edges.iter().map(|e| e.2).collect::<Vec<_>>(),
        )),
    ))
}

/// centre_cluster(counts, lens, key_texts, left, right, linkage="centre") -> representative per key
#[pyfunction]
#[pyo3(signature = (counts, lens, key_texts, left, right, linkage = "centre"))]
fn centre_cluster(
    py: Python<'_>,
    counts: PyArray,
    lens: PyArray,
    key_texts: PyArray,
    left: PyArray,
    right: PyArray,
    linkage: &str,
) -> PyResult<PyArray> {
    let linkage = match linkage {
        "centre" => Linkage::Centre,
        "single" => Linkage::Single,
        other => return Err(value_error(format!("unknown linkage `{other}`"))),
    };
    let counts = u64s(counts.0, "counts")?;
    let lens = u32s(lens.0, "lens")?;
    let texts = make_array(key_texts.0);
    let texts = strings(&texts)?;
    let (left, right) = (u32s(left.0, "left")?, u32s(right.0, "right")?);
    check_lengths(counts.len(), lens.len())?;
    check_lengths(counts.len(), texts.len())?;
    check_lengths(left.len(), right.len())?;
    let n = counts.len();
    if let Some(bad) = left.iter().chain(&right).find(|&&i| i as usize >= n) {
        return Err(value_error(format!(
            "edge endpoint {bad} is not a key index (there are {n} keys)"
        )));
    }
    let representative: Vec<u32> = py.detach(|| {
        let keys: Vec<KeyRef<'_>> = (0..n)
            .map(|i| KeyRef {
                text: texts[i].unwrap_or(""),
                len: lens[i] as usize,
                count: counts[i],
            })
            .collect();
        let edges: Vec<(u32, u32)> = left.iter().copied().zip(right.iter().copied()).collect();
        let mut representative = vec![0u32; n];
        for group in link(&keys, &edges, linkage) {
            let first = *group
                .iter()
                .min_by(|&&a, &&b| centre_order(&keys[a], &keys[b]))
                .expect("groups are never empty");
            for k in group {
                representative[k] = first as u32;
            }
        }
        representative
    });
    Ok(out(UInt32Array::from(representative)))
}

/// The clustering options of the command line, as the Python functions take them.
struct Options<'a> {
    threshold: f64,
    metric: &'a str,
    linkage: &'a str,
    canonical: &'a str,
    boilerplate: &'a str,
    boilerplate_min: usize,
    keep_credits: bool,
    credit_patterns: Vec<String>,
    credited_only: bool,
    exhaustive: bool,
    veto: &'a str,
    learn_credits: &'a str,
    learn_credits_min: usize,
}

fn deduper(o: &Options<'_>) -> PyResult<Deduper> {
    let mut builder = Deduper::builder()
        .threshold(o.threshold)
        .metric(self::metric(o.metric)?)
        .linkage(match o.linkage {
            "centre" => Linkage::Centre,
            "single" => Linkage::Single,
            other => return Err(value_error(format!("unknown linkage `{other}`"))),
        })
        .canonical(match o.canonical {
            "most-frequent" => Canonical::MostFrequent,
            "first" => Canonical::First,
            "longest" => Canonical::Longest,
            "shortest" => Canonical::Shortest,
            other => return Err(value_error(format!("unknown canonical `{other}`"))),
        })
        .boilerplate(match o.boilerplate {
            "auto" => BoilerplateMode::Auto,
            "keep" => BoilerplateMode::Keep,
            other => return Err(value_error(format!("unknown boilerplate mode `{other}`"))),
        })
        .boilerplate_min(o.boilerplate_min)
        .keep_credits(o.keep_credits)
        .credited_only(o.credited_only)
        .exhaustive(o.exhaustive)
        .veto(o.veto.parse().map_err(value_error)?)
        .learn_credits(match o.learn_credits {
            "auto" => true,
            "off" => false,
            other => {
                return Err(value_error(format!(
                    "unknown learn-credits mode `{other}` (expected auto or off)"
                )));
            }
        })
        .learn_credits_min(o.learn_credits_min);
    for p in &o.credit_patterns {
        builder = builder.credit_pattern(p.clone());
    }
    builder.build().map_err(value_error)
}

/// The columns `capdedup dedup --annotate` adds, for each row of `captions`, and two
/// masks: rows `dedup` keeps (each cluster's kept row, and rows whose caption is null) and
/// rows present at all (not left out by `credited_only`). `duplicate_of` is the 0-based row
/// of the kept record; null captions get null columns.
#[pyfunction]
#[pyo3(signature = (
    captions, keep = "first", threshold = 0.9, metric = "levenshtein", linkage = "centre",
    canonical = "most-frequent", boilerplate = "auto", boilerplate_min = 2,
    keep_credits = false, credit_patterns = Vec::new(), credited_only = false,
    exhaustive = false, veto = "facts", learn_credits = "auto", learn_credits_min = 3
))]
#[allow(clippy::too_many_arguments, clippy::type_complexity)]
fn annotate_arrays(
    py: Python<'_>,
    captions: PyArray,
    keep: &str,
    threshold: f64,
    metric: &str,
    linkage: &str,
    canonical: &str,
    boilerplate: &str,
    boilerplate_min: usize,
    keep_credits: bool,
    credit_patterns: Vec<String>,
    credited_only: bool,
    exhaustive: bool,
    veto: &str,
    learn_credits: &str,
    learn_credits_min: usize,
) -> PyResult<(
    PyArray,
    PyArray,
    PyArray,
    PyArray,
    PyArray,
    PyArray,
    PyArray,
    PyArray,
)> {
    let deduper = deduper(&Options {
        threshold,
        metric,
        linkage,
        canonical,
        boilerplate,
        boilerplate_min,
        keep_credits,
        credit_patterns,
        credited_only,
        exhaustive,
        veto,
        learn_credits,
        learn_credits_min,
    })?;
    let keep = match keep {
        "first" => Keep::First,
        "canonical" => Keep::Canonical,
        "longest" => Keep::Longest,
        other => {
            return Err(value_error(format!(
                "unknown keep `{other}` (expected first, canonical or longest)"
            )));
        }
    };
    let array = make_array(captions.0);
    let texts = strings(&array)?;
    let n = texts.len();
    let columns = py.detach(|| {
        // Rows with a caption are the records, each at line = row + 1.
        let records: Vec<(u64, &str)> = texts
            .iter()
            .enumerate()
            .filter_map(|(i, t)| t.map(|t| (i as u64 + 1, t)))
            .collect();
        let mut collector = deduper.collector();
        collector.push_batch("-", &records);
        let report = collector.finish();
        let kept: Vec<usize> = report.clusters.par_iter().map(|c| keep.member(c)).collect();
        let ids: Vec<String> = report.clusters.par_iter().map(|c| c.id()).collect();
        let mut id = vec![None; n];
        let mut size = vec![None; n];
        let mut canonical = vec![None; n];
        let mut clean = vec![None; n];
        let mut duplicate_of = vec![None; n];
        let mut kept_rows: Vec<bool> = texts.iter().map(Option::is_none).collect();
        let mut present = kept_rows.clone();
        for a in report.assignments() {
            let row = records[a.record as usize].0 as usize - 1;
            let c = a.cluster();
            id[row] = Some(ids[a.cluster].as_str());
            size[row] = Some(c.count);
            canonical[row] = Some(c.caption.as_str());
            clean[row] = Some(c.member_caption(a.member_index));
            present[row] = true;
            if a.member_index == kept[a.cluster] {
                kept_rows[row] = true;
            } else {
                duplicate_of[row] = Some(c.members[kept[a.cluster]].line as i64 - 1);
            }
        }
        // The credit as clustering saw it: the rules' credit and the learned lines.
        let learned = LearnedCredits::from_lines(report.learned_credits.clone());
        let credit: Vec<Option<String>> = texts
            .par_iter()
            .zip(&present)
            .map(|(t, &p)| {
                t.filter(|_| p)
                    .and_then(|t| deduper.strip_learned(&learned, deduper.strip(t)).credit)
            })
            .collect();
        (
            out(StringArray::from(id)),
            out(UInt64Array::from(size)),
            out(StringArray::from(canonical)),
            out(StringArray::from(clean)),
            out(StringArray::from(credit)),
            out(Int64Array::from(duplicate_of)),
            out(BooleanArray::from(kept_rows)),
            out(BooleanArray::from(present)),
        )
    });
    Ok(columns)
}

/// The JSON contract of `capdedup cluster --format json`, as a string.
#[pyfunction]
#[pyo3(signature = (
    captions, threshold = 0.9, metric = "levenshtein", linkage = "centre",
    canonical = "most-frequent", boilerplate = "auto", boilerplate_min = 2,
    keep_credits = false, credit_patterns = Vec::new(), credited_only = false,
    exhaustive = false, veto = "facts", learn_credits = "auto", learn_credits_min = 3
))]
#[allow(clippy::too_many_arguments)]
fn cluster_json(
    py: Python<'_>,
    captions: Vec<String>,
    threshold: f64,
    metric: &str,
    linkage: &str,
    canonical: &str,
    boilerplate: &str,
    boilerplate_min: usize,
    keep_credits: bool,
    credit_patterns: Vec<String>,
    credited_only: bool,
    exhaustive: bool,
    veto: &str,
    learn_credits: &str,
    learn_credits_min: usize,
) -> PyResult<String> {
    let deduper = deduper(&Options {
        threshold,
        metric,
        linkage,
        canonical,
        boilerplate,
        boilerplate_min,
        keep_credits,
        credit_patterns,
        credited_only,
        exhaustive,
        veto,
        learn_credits,
        learn_credits_min,
    })?;
    py.detach(|| {
        let mut collector = deduper.collector();
        let records: Vec<(u64, &str)> = captions
            .iter()
            .enumerate()
            .map(|(i, t)| (i as u64 + 1, t.as_str()))
            .collect();
        collector.push_batch("-", &records);
        serde_json::to_string(&collector.finish()).map_err(value_error)
    })
}

/// Constants of the candidate index, so that a distributed job applies the same rules.
fn constants(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("MAX_POSTING", index::MAX_POSTING)?;
    m.add("EXACT_BIT", EXACT_BIT)?;
    m.add("FREQUENCY_CAP", index::FREQUENCY_CAP)?;
    m.add("MIN_INDEXED_THRESHOLD", index::MIN_INDEXED_THRESHOLD)?;
    m.add("NAME_MIN", NAME_MIN)?;
    Ok(())
}

/// The native module behind the `capdedup` Python package.
#[pymodule]
fn _capdedup(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(strip, m)?)?;
    m.add_function(wrap_pyfunction!(credit_identity_of, m)?)?;
    m.add_function(wrap_pyfunction!(learn_segments, m)?)?;
    m.add_function(wrap_pyfunction!(fold, m)?)?;
    m.add_function(wrap_pyfunction!(signed_lines, m)?)?;
    m.add_function(wrap_pyfunction!(strip_learned, m)?)?;
    m.add_function(wrap_pyfunction!(name_credits, m)?)?;
    m.add_function(wrap_pyfunction!(name_mentions, m)?)?;
    m.add_function(wrap_pyfunction!(boilerplate_contexts, m)?)?;
    m.add_function(wrap_pyfunction!(detect_boilerplate, m)?)?;
    m.add_function(wrap_pyfunction!(keys, m)?)?;
    m.add_function(wrap_pyfunction!(blocking_keys, m)?)?;
    m.add_function(wrap_pyfunction!(key_tokens, m)?)?;
    m.add_function(wrap_pyfunction!(verify, m)?)?;
    m.add_function(wrap_pyfunction!(verify_runs, m)?)?;
    m.add_function(wrap_pyfunction!(centre_cluster, m)?)?;
    m.add_function(wrap_pyfunction!(cluster_json, m)?)?;
    m.add_function(wrap_pyfunction!(annotate_arrays, m)?)?;
    constants(m)?;
    Ok(())
}
