/**
 * Knowledge context: articles, their immutable versions and additive comments (spec §2.26–2.28).
 *
 * @module
 */
export {};
