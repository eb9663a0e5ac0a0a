/**
 * Session selectors: the query language shared by the hub's REST and XML-RPC interfaces, the CLI and the
 * dashboard ({@code app=blender host=render0* !tag.show=abc}). Pure parsing and matching, no I/O.
 */
package dev.sessionhub.shared.selector;
