//! How alike two titles are: rank-torrent-name's measure (the normalised InDel similarity,
//! `2·LCS / (len_a + len_b)`) over titles folded to lower-case ASCII words.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Titles at least this alike are the same title (RTN's default).
pub const SAME_TITLE: f64 = 0.85;

/// Lower-case words without accents or punctuation: "Amélie: Le Fabuleux Destin" →
/// "amelie le fabuleux destin"; "&" reads "and".
pub fn normalize(title: &str) -> String {
    let mut folded = String::with_capacity(title.len());
    for c in title.nfkd().filter(|c| !is_combining_mark(*c)) {
        match c {
            'ß' => folded.push_str("ss"),
            'æ' | 'Æ' => folded.push_str("ae"),
            'œ' | 'Œ' => folded.push_str("oe"),
            'ø' | 'Ø' => folded.push('o'),
            'đ' | 'Đ' => folded.push('d'),
            'ł' | 'Ł' => folded.push('l'),
            '&' => folded.push_str(" and "),
            // Apostrophes join ("Schindler's" → "schindlers"); other punctuation separates.
            '\'' | '’' | '`' => {}
            c if c.is_alphanumeric() => folded.extend(c.to_lowercase()),
            _ => folded.push(' '),
        }
    }
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// 1.0 for equal strings, 0.0 for nothing in common.
pub fn ratio(a: &str, b: &str) -> f64 {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    // The longest common subsequence, one row at a time.
    let mut previous = vec![0usize; b.len() + 1];
    let mut row = vec![0usize; b.len() + 1];
    for &x in &a {
        for (j, &y) in b.iter().enumerate() {
            row[j + 1] = if x == y {
                previous[j] + 1
            } else {
                row[j].max(previous[j + 1])
            };
        }
        std::mem::swap(&mut previous, &mut row);
    }
    let common = previous[b.len()];
    2.0 * common as f64 / (a.len() + b.len()) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn similarity(a: &str, b: &str) -> f64 {
        ratio(&normalize(a), &normalize(b))
    }

    #[test]
    fn the_ratio_is_rtns_indel_similarity() {
        assert!((ratio("kitten", "sitting") - 0.615).abs() < 0.001);
        assert_eq!(ratio("", ""), 1.0);
        assert_eq!(ratio("abc", ""), 0.0);
    }

    #[test]
    fn titles_compare_without_case_accents_or_punctuation() {
        assert_eq!(
            normalize("Amélie: Le Fabuleux Destin"),
            "amelie le fabuleux destin"
        );
        assert_eq!(normalize("Fast & Furious"), "fast and furious");
        assert_eq!(
            similarity("Spider-Man: No Way Home", "Spider Man No Way Home"),
            1.0
        );
        assert!(similarity("The Office", "The Office US") >= SAME_TITLE);
        assert!(similarity("Kill Bill: Vol. 1", "Kill Bill") < SAME_TITLE);
        assert!(similarity("The Matrix", "The Matrix Reloaded") < SAME_TITLE);
    }
}
