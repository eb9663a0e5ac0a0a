/**
 * Discovery targets ({@code render[001-120].farm:8000-8010}, {@code 10.1.2.0/28}, {@code [::1]:8000}) and
 * addresses: pure parsing with lazy expansion, no DNS and no I/O.
 */
package dev.sessionhub.shared.scan;
