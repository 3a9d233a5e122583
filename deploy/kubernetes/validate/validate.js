#!/usr/bin/env node
// Checks rendered Kubernetes manifests offline (scripts/validate-kubernetes.sh renders them and runs this):
//
//   node validate.js rendered.yaml        (or - for standard input)
//
// 1. Schema: each object against the Kubernetes API's OpenAPI schema for its apiVersion and kind
//    (kubernetes-models: the Kubernetes 1.33 API; types, formats, enums, required fields).
// 2. Strict fields: those schemas accept unknown fields, so a misspelt one (`readinesProbe`) would pass. Each
//    object is also type-checked by TypeScript against the same API's declarations, whose excess-property
//    check rejects any field the API does not define, at any depth.
// 3. Policy: what this project requires of its deployment (see POLICY below).
//
// Exit status: 0 no problem, 1 problems found, 2 the input could not be read.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');
const ts = require('typescript');

const MODELS = 'kubernetes-models';

function main() {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node validate.js RENDERED.yaml (or - for standard input)');
    process.exit(2);
  }
  let text;
  try {
    text = fs.readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (e) {
    console.error(`cannot read ${file}: ${e.message}`);
    process.exit(2);
  }
  const docs = YAML.parseAllDocuments(text);
  const objects = [];
  for (const doc of docs) {
    if (doc.errors.length) {
      console.error(`not valid YAML: ${doc.errors[0].message}`);
      process.exit(2);
    }
    const obj = doc.toJS();
    if (obj != null) objects.push(obj);
  }
  if (objects.length === 0) {
    console.error('no objects in the input');
    process.exit(2);
  }

  const problems = new Map(objects.map((o, i) => [i, []])); // per object
  const global = [];
  objects.forEach((obj, i) => problems.get(i).push(...schemaProblems(obj)));
  strictProblems(objects).forEach(({ index, message }) =>
    (problems.has(index) ? problems.get(index) : global).push(message));
  const notes = policyProblems(objects, problems, global);

  let failed = 0;
  objects.forEach((obj, i) => {
    const list = problems.get(i);
    if (list.length === 0) {
      console.log(`ok    ${id(obj)}`);
    } else {
      failed++;
      console.log(`FAIL  ${id(obj)}`);
      for (const p of list) console.log(`        ${p}`);
    }
  });
  for (const p of global) console.log(`FAIL  ${p}`);
  for (const n of notes) console.log(`note  ${n}`);
  const count = failed + global.length;
  console.log(`${objects.length} objects checked (schema, strict fields, policy): ` +
    (count === 0 ? 'no problems' : `${count} failed`));
  process.exit(count === 0 ? 0 : 1);
}

function id(obj) {
  return `${obj && obj.kind}/${obj && obj.metadata && obj.metadata.name}`;
}

// --- 1. schema ---------------------------------------------------------------------------------------------

function modelPath(obj) {
  if (!obj || typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') return null;
  if (!/^[A-Za-z0-9.\-/]+$/.test(obj.apiVersion) || !/^[A-Za-z0-9]+$/.test(obj.kind)) return null;
  return `${MODELS}/${obj.apiVersion}/${obj.kind}`; // core group "v1" is kubernetes-models/v1/<Kind>
}

function schemaProblems(obj) {
  const spec = modelPath(obj);
  if (!spec) return ['has no apiVersion or kind'];
  let Model;
  try {
    Model = require(spec)[obj.kind];
  } catch {
    Model = undefined;
  }
  if (typeof Model !== 'function') return [`no schema for apiVersion ${obj.apiVersion}, kind ${obj.kind}`];
  try {
    new Model(obj).validate();
    return [];
  } catch (e) {
    if (Array.isArray(e.errors)) {
      return e.errors.map((x) => `schema: ${x.instancePath || '/'} ${x.message}` +
        (x.params && x.params.allowedValues ? ` (${x.params.allowedValues.join(', ')})` : ''));
    }
    return [`schema: ${e.message}`];
  }
}

// --- 2. strict fields --------------------------------------------------------------------------------------

// One TypeScript file: `const o<i>: I<Kind> = <object as JSON>;` per object, checked in memory. TypeScript
// reports one excess or mistyped field per object literal at a time, so each round removes the fields it
// reported and checks again, until a round finds nothing new.
function strictProblems(objects) {
  const copies = objects.map((o) => JSON.parse(JSON.stringify(o)));
  const found = [];
  let program;
  for (let round = 0; round < 25; round++) {
    const result = strictRound(copies, program);
    program = result.program;
    if (result.found.length === 0) break;
    let removed = 0;
    for (const f of result.found) {
      found.push({ index: f.index, message: f.message });
      if (f.path && f.path.length && remove(copies[f.index], f.path)) removed++;
    }
    if (removed === 0) break;
  }
  return found;
}

function remove(obj, parts) {
  let node = obj;
  for (const p of parts.slice(0, -1)) {
    if (node == null || typeof node !== 'object') return false;
    node = node[p];
  }
  const last = parts[parts.length - 1];
  if (node == null || typeof node !== 'object' || !(last in node)) return false;
  if (Array.isArray(node)) node.splice(last, 1);
  else delete node[last];
  return true;
}

function strictRound(objects, oldProgram) {
  const virtual = path.join(__dirname, '__rendered__.ts');
  const lines = [];
  const starts = [];
  objects.forEach((obj, i) => {
    const spec = modelPath(obj);
    if (!spec) return;
    try {
      require.resolve(spec);
    } catch {
      return; // reported by the schema check
    }
    lines.push(`import type { I${obj.kind} as T${i} } from ${JSON.stringify(spec)};`);
    starts.push(i);
  });
  let body = lines.join('\n') + '\n';
  const ranges = []; // [start, end, object index]
  for (const i of starts) {
    const head = `export const o${i}: T${i} = `;
    const start = body.length + head.length;
    body += head + JSON.stringify(objects[i], null, 1);
    ranges.push([start, body.length, i]);
    body += ';\n';
  }
  const options = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    target: ts.ScriptTarget.ES2020,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, ...rest) =>
    path.resolve(name) === virtual ? ts.createSourceFile(name, body, lang, true) : getSourceFile(name, lang, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => path.resolve(name) === virtual || fileExists(name);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => (path.resolve(name) === virtual ? body : readFile(name));
  const program = ts.createProgram([virtual], options, host, oldProgram);
  const source = program.getSourceFile(virtual);
  const found = [];
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '; ');
    const range = d.file === source ? ranges.find(([s, e]) => d.start >= s && d.start < e) : undefined;
    if (!range) {
      // an import that does not resolve or a broken declaration: the checker itself is at fault
      found.push({ index: starts[0], message: `strict check could not run: ${message}` });
      continue;
    }
    const parts = jsonPath(source, d.start);
    const at = parts.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '') || '(the object)';
    found.push({ index: range[2], path: parts, message: `unknown or mistyped field at ${at}: ${shorten(message)}` });
  }
  return { program, found };
}

// ['spec', 'template', 'spec', 'containers', 0, 'readinesProbe'], from the position of a diagnostic in the generated file
function jsonPath(source, pos) {
  let node = deepest(source, pos);
  const parts = [];
  while (node && !ts.isVariableDeclaration(node)) {
    const parent = node.parent;
    if (ts.isPropertyAssignment(node)) parts.unshift(node.name.text);
    else if (parent && ts.isArrayLiteralExpression(parent)) parts.unshift(parent.elements.indexOf(node));
    node = parent;
  }
  return parts;
}

function deepest(node, pos) {
  for (const child of node.getChildren()) {
    if (pos >= child.getStart() && pos < child.getEnd()) return deepest(child, pos);
  }
  return node;
}

function shorten(message) {
  return message
    .replace(/IIoK8s[A-Za-z0-9]*?V1(beta1)?(?=[A-Z])/g, '')
    .replace(/IIoK8sApimachineryPkgApisMetaV1/g, '')
    .replace(/\s+/g, ' ')
    .slice(0, 300);
}

// --- 3. policy ---------------------------------------------------------------------------------------------

// What a Tributary deployment must have, beyond a valid schema:
// - Deployments: at least 2 replicas; a selector that matches the pod template's labels; the pod does not
//   mount a service-account token; every container has CPU and memory requests and a memory limit, startup,
//   liveness and readiness probes whose named ports exist, runAsNonRoot (its own or the pod's),
//   readOnlyRootFilesystem, no privilege escalation and every capability dropped.
// - PodDisruptionBudgets: a non-empty selector that matches a Deployment's pods, and leaves room to evict
//   (minAvailable below that Deployment's replicas).
// - Services: a non-empty selector that matches a Deployment's pods, and target ports those pods have.
// - ConfigMaps and ServiceAccounts the pods use are in the render (Secrets may live outside it: listed).
function policyProblems(objects, problems, global) {
  const deployments = objects.map((o, i) => [o, i]).filter(([o]) => o && o.kind === 'Deployment');
  const names = (kind) => new Set(objects.filter((o) => o && o.kind === kind).map((o) => o.metadata && o.metadata.name));
  const configMaps = names('ConfigMap');
  const secrets = names('Secret');
  const accounts = names('ServiceAccount');
  const external = new Set();

  if (deployments.length === 0) global.push('no Deployment in the render');
  for (const [d, i] of deployments) {
    const add = (m) => problems.get(i).push(`policy: ${m}`);
    const spec = d.spec || {};
    const pod = (spec.template && spec.template.spec) || {};
    const podLabels = (spec.template && spec.template.metadata && spec.template.metadata.labels) || {};
    if (!(spec.replicas >= 2)) add(`replicas is ${spec.replicas === undefined ? 'unset (1)' : spec.replicas}: at least 2`);
    if (!selects(spec.selector, podLabels)) add('spec.selector does not match the pod template labels');
    if (pod.automountServiceAccountToken !== false) add('automountServiceAccountToken must be false');
    const sa = pod.serviceAccountName;
    if (sa && sa !== 'default' && !accounts.has(sa)) add(`ServiceAccount ${sa} is not in the render`);
    const podSc = pod.securityContext || {};
    const containers = [...(pod.initContainers || []).map((c) => [c, true]), ...(pod.containers || []).map((c) => [c, false])];
    for (const [c, init] of containers) {
      const at = (m) => add(`container ${c.name}: ${m}`);
      const r = c.resources || {};
      for (const k of ['cpu', 'memory']) if (!(r.requests && r.requests[k])) at(`no resources.requests.${k}`);
      if (!(r.limits && r.limits.memory)) at('no resources.limits.memory');
      if (!init) {
        const ports = new Set((c.ports || []).map((p) => p.name).filter(Boolean));
        for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
          const p = c[probe];
          if (!p) {
            at(`no ${probe}`);
            continue;
          }
          const port = (p.httpGet || p.tcpSocket || {}).port;
          if (typeof port === 'string' && !ports.has(port)) at(`${probe} uses port ${port}, which the container does not name`);
        }
      }
      const sc = c.securityContext || {};
      const nonRoot = sc.runAsNonRoot !== undefined ? sc.runAsNonRoot : podSc.runAsNonRoot;
      if (nonRoot !== true) at('runAsNonRoot is not true');
      const uid = sc.runAsUser !== undefined ? sc.runAsUser : podSc.runAsUser;
      if (uid === 0) at('runAsUser is 0');
      if (sc.readOnlyRootFilesystem !== true) at('readOnlyRootFilesystem is not true');
      if (sc.allowPrivilegeEscalation !== false) at('allowPrivilegeEscalation is not false');
      const drop = (sc.capabilities && sc.capabilities.drop) || [];
      if (!drop.includes('ALL')) at('capabilities.drop does not include ALL');
      for (const e of c.envFrom || []) {
        if (e.configMapRef && !e.configMapRef.optional && !configMaps.has(e.configMapRef.name)) at(`envFrom ConfigMap ${e.configMapRef.name} is not in the render`);
        if (e.secretRef && !secrets.has(e.secretRef.name)) external.add(e.secretRef.name);
      }
      for (const e of c.env || []) {
        const v = e.valueFrom || {};
        if (v.configMapKeyRef && !v.configMapKeyRef.optional && !configMaps.has(v.configMapKeyRef.name)) at(`env ${e.name}: ConfigMap ${v.configMapKeyRef.name} is not in the render`);
        if (v.secretKeyRef && !secrets.has(v.secretKeyRef.name)) external.add(v.secretKeyRef.name);
      }
    }
    for (const v of pod.volumes || []) {
      if (v.configMap && !v.configMap.optional && !configMaps.has(v.configMap.name)) add(`volume ${v.name}: ConfigMap ${v.configMap.name} is not in the render`);
      if (v.secret && !secrets.has(v.secret.secretName)) external.add(v.secret.secretName);
    }
  }

  const podsOf = (o, i, what, selector) => {
    const matched = deployments.filter(([d]) => selects(selector, (d.spec.template.metadata || {}).labels || {}));
    if (matched.length === 0) problems.get(i).push(`policy: ${what} selects the pods of no Deployment`);
    return matched;
  };
  objects.forEach((o, i) => {
    if (!o) return;
    const spec = o.spec || {};
    if (o.kind === 'PodDisruptionBudget') {
      const sel = spec.selector || {};
      if (isEmpty(sel.matchLabels) && isEmpty(sel.matchExpressions)) {
        problems.get(i).push('policy: empty selector (it would cover every pod in the namespace)');
        return;
      }
      for (const [d] of podsOf(o, i, 'selector', sel)) {
        if (Number.isInteger(spec.minAvailable) && spec.minAvailable >= d.spec.replicas) {
          problems.get(i).push(`policy: minAvailable ${spec.minAvailable} leaves no pod of ${id(d)} (${d.spec.replicas} replicas) to evict`);
        }
      }
    } else if (o.kind === 'Service' && spec.type !== 'ExternalName') {
      if (isEmpty(spec.selector)) {
        problems.get(i).push('policy: no selector');
        return;
      }
      for (const [d] of podsOf(o, i, 'selector', { matchLabels: spec.selector })) {
        const names = new Set(d.spec.template.spec.containers.flatMap((c) => (c.ports || []).map((p) => p.name)));
        const numbers = new Set(d.spec.template.spec.containers.flatMap((c) => (c.ports || []).map((p) => p.containerPort)));
        for (const p of spec.ports || []) {
          const t = p.targetPort === undefined ? p.port : p.targetPort;
          if (typeof t === 'string' ? !names.has(t) : !numbers.has(t)) {
            problems.get(i).push(`policy: port ${p.name || p.port} targets ${t}, which the pods of ${id(d)} do not have`);
          }
        }
      }
    }
  });
  return [...external].map((s) => `Secret/${s} is used but not rendered: create it before applying`);
}

function isEmpty(x) {
  return x == null || (Array.isArray(x) ? x.length === 0 : Object.keys(x).length === 0);
}

// a LabelSelector (matchLabels and matchExpressions) against a set of labels; an empty one selects nothing here
function selects(selector, labels) {
  if (!selector || (isEmpty(selector.matchLabels) && isEmpty(selector.matchExpressions))) return false;
  for (const [k, v] of Object.entries(selector.matchLabels || {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions || []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const ok = {
      In: () => has && (e.values || []).includes(labels[e.key]),
      NotIn: () => !has || !(e.values || []).includes(labels[e.key]),
      Exists: () => has,
      DoesNotExist: () => !has,
    }[e.operator];
    if (!ok || !ok()) return false;
  }
  return true;
}

main();
