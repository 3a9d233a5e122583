/**
 * Zylon Workspace ({@code type: zylon}): the project-level interaction list, or threads
 * and each thread's interactions on instances that removed it; cursor pagination,
 * {@code x-org} header.
 */
package io.tributary.source.zylon;
