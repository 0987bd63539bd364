/**
 * Finds the free variables of a function: identifiers it reads or writes that are declared neither inside it
 * nor among the runtime's globals. A small scope analysis over acorn's ESTree output.
 */

// acorn's own node types are a closed union that makes a generic walk verbose; a structural view suffices here.
type AnyNode = { type: string; start: number; end: number; [key: string]: any };

/** One reference to a name the function does not declare. */
export interface FreeReference {
  /** The identifier. */
  readonly name: string;
  /** Offset of the identifier in the analysed source. */
  readonly start: number;
  /** The property read from it when written as `name.property` (how bundlers reach imports). */
  readonly member: string | undefined;
}

class Scope {
  readonly names = new Set<string>();
  constructor(
    readonly parent: Scope | undefined,
    readonly isFunction: boolean,
  ) {}

  has(name: string): boolean {
    for (let s: Scope | undefined = this; s !== undefined; s = s.parent) if (s.names.has(name)) return true;
    return false;
  }
}

/** Returns the references in `fn` (an ESTree function node) to names it does not declare, in source order. */
export function findFreeReferences(fn: AnyNode): FreeReference[] {
  const found: FreeReference[] = [];
  const reference = (node: AnyNode, scope: Scope, member?: string) => {
    if (!scope.has(node.name)) found.push({ name: node.name, start: node.start, member });
  };

  const visitFunction = (node: AnyNode, scope: Scope) => {
    let outer = scope;
    if (node.type !== "FunctionDeclaration" && node.id) {
      outer = new Scope(scope, false);
      outer.names.add(node.id.name);
    }
    const inner = new Scope(outer, true);
    if (node.type !== "ArrowFunctionExpression") inner.names.add("arguments");
    for (const param of node.params) declarePattern(param, inner);
    for (const param of node.params) visitPattern(param, inner, false);
    if (node.body.type === "BlockStatement") {
      hoistVar(node.body, inner);
      hoistLexical(node.body.body, inner);
      for (const statement of node.body.body) visit(statement, inner);
    } else {
      visit(node.body, inner);
    }
  };

  const visitClass = (node: AnyNode, scope: Scope) => {
    if (node.superClass) visit(node.superClass, scope);
    const inner = new Scope(scope, false);
    if (node.id) inner.names.add(node.id.name);
    for (const member of node.body.body as AnyNode[]) {
      if (member.type === "StaticBlock") {
        const block = new Scope(inner, true);
        hoistVar(member, block);
        hoistLexical(member.body, block);
        for (const statement of member.body) visit(statement, block);
        continue;
      }
      if (member.computed) visit(member.key, inner);
      if (member.value) {
        // Field initialisers run like small methods: their own scope, `arguments` not allowed.
        if (member.type === "PropertyDefinition") visit(member.value, new Scope(inner, true));
        else visitFunction(member.value, inner);
      }
    }
  };

  // Visits the expressions inside a pattern (defaults, computed keys). With `assigns`, the names in the pattern
  // are references (an assignment target) rather than declarations.
  const visitPattern = (node: AnyNode | null, scope: Scope, assigns: boolean) => {
    if (node === null) return;
    switch (node.type) {
      case "Identifier":
        if (assigns) reference(node, scope);
        return;
      case "MemberExpression":
        visit(node, scope);
        return;
      case "AssignmentPattern":
        visitPattern(node.left, scope, assigns);
        visit(node.right, scope);
        return;
      case "RestElement":
        visitPattern(node.argument, scope, assigns);
        return;
      case "ArrayPattern":
        for (const element of node.elements) visitPattern(element, scope, assigns);
        return;
      case "ObjectPattern":
        for (const property of node.properties) {
          if (property.type === "RestElement") {
            visitPattern(property.argument, scope, assigns);
          } else {
            if (property.computed) visit(property.key, scope);
            visitPattern(property.value, scope, assigns);
          }
        }
        return;
      default:
        visit(node, scope);
    }
  };

  const visitBlock = (statements: AnyNode[], scope: Scope) => {
    const block = new Scope(scope, false);
    hoistLexical(statements, block);
    for (const statement of statements) visit(statement, block);
  };

  const visit = (node: AnyNode | null | undefined, scope: Scope): void => {
    if (node === null || node === undefined) return;
    switch (node.type) {
      case "Identifier":
        reference(node, scope);
        return;
      case "FunctionExpression":
      case "ArrowFunctionExpression":
      case "FunctionDeclaration":
        visitFunction(node, scope);
        return;
      case "ClassExpression":
      case "ClassDeclaration":
        visitClass(node, scope);
        return;
      case "BlockStatement":
        visitBlock(node.body, scope);
        return;
      case "SwitchStatement": {
        visit(node.discriminant, scope);
        const cases = new Scope(scope, false);
        const statements = node.cases.flatMap((c: AnyNode) => c.consequent);
        hoistLexical(statements, cases);
        for (const c of node.cases) {
          visit(c.test, cases);
          for (const statement of c.consequent) visit(statement, cases);
        }
        return;
      }
      case "ForStatement":
      case "ForInStatement":
      case "ForOfStatement": {
        const loop = new Scope(scope, false);
        const head = node.type === "ForStatement" ? node.init : node.left;
        if (head && head.type === "VariableDeclaration" && head.kind !== "var") {
          for (const d of head.declarations) declarePattern(d.id, loop);
        }
        if (node.type === "ForStatement") {
          visit(node.init, loop);
          visit(node.test, loop);
          visit(node.update, loop);
        } else {
          if (head.type === "VariableDeclaration") visit(head, loop);
          else visitPattern(head, loop, true);
          visit(node.right, loop);
        }
        visit(node.body, loop);
        return;
      }
      case "CatchClause": {
        const inner = new Scope(scope, false);
        if (node.param) {
          declarePattern(node.param, inner);
          visitPattern(node.param, inner, false);
        }
        visit(node.body, inner);
        return;
      }
      case "VariableDeclaration":
        for (const d of node.declarations) {
          visitPattern(d.id, scope, false);
          visit(d.init, scope);
        }
        return;
      case "AssignmentExpression":
        visitPattern(node.left, scope, true);
        visit(node.right, scope);
        return;
      case "MemberExpression":
        if (node.object.type === "Identifier" && !node.computed && node.property.type === "Identifier") {
          reference(node.object, scope, node.property.name);
        } else {
          visit(node.object, scope);
        }
        if (node.computed) visit(node.property, scope);
        return;
      case "Property":
      case "PropertyDefinition":
      case "MethodDefinition":
        if (node.computed) visit(node.key, scope);
        visit(node.value, scope);
        return;
      case "LabeledStatement":
        visit(node.body, scope);
        return;
      case "MetaProperty":
        // `import.meta` belongs to the function's module, which the thread does not have (`new.target` is fine).
        if (node.meta.name === "import")
          found.push({ name: "import.meta", start: node.start, member: undefined });
        return;
      case "BreakStatement":
      case "ContinueStatement":
      case "ThisExpression":
      case "Super":
      case "Literal":
      case "TemplateElement":
        return;
      default:
        visitChildren(node, scope);
    }
  };

  const visitChildren = (node: AnyNode, scope: Scope) => {
    for (const key of Object.keys(node)) {
      if (key === "type" || key === "start" || key === "end" || key === "loc" || key === "range") continue;
      const child = node[key];
      if (Array.isArray(child)) {
        for (const item of child) if (isNode(item)) visit(item, scope);
      } else if (isNode(child)) {
        visit(child, scope);
      }
    }
  };

  visitFunction(fn, new Scope(undefined, true));
  return found;
}

function isNode(value: unknown): value is AnyNode {
  return typeof value === "object" && value !== null && typeof (value as AnyNode).type === "string";
}

function declarePattern(node: AnyNode | null, scope: Scope): void {
  if (node === null) return;
  switch (node.type) {
    case "Identifier":
      scope.names.add(node.name);
      return;
    case "AssignmentPattern":
      declarePattern(node.left, scope);
      return;
    case "RestElement":
      declarePattern(node.argument, scope);
      return;
    case "ArrayPattern":
      for (const element of node.elements) declarePattern(element, scope);
      return;
    case "ObjectPattern":
      for (const property of node.properties) {
        declarePattern(property.type === "RestElement" ? property.argument : property.value, scope);
      }
      return;
  }
}

/** Declares the let/const/class/function (and `using`) bindings that stand directly in a block. */
function hoistLexical(statements: AnyNode[], scope: Scope): void {
  for (const statement of statements) {
    if (statement.type === "VariableDeclaration" && statement.kind !== "var") {
      for (const d of statement.declarations) declarePattern(d.id, scope);
    } else if (
      (statement.type === "ClassDeclaration" || statement.type === "FunctionDeclaration") &&
      statement.id
    ) {
      scope.names.add(statement.id.name);
    }
  }
}

/**
 * Declares the `var` bindings of a function body, wherever they stand in it (not inside nested functions).
 * Function declarations in nested blocks are declared too: sloppy code hoists them, and declaring a name that
 * strict code keeps block-local only risks missing a free variable, never reporting a false one.
 */
function hoistVar(node: AnyNode, scope: Scope): void {
  const walk = (n: AnyNode | null | undefined, top: boolean): void => {
    if (n === null || n === undefined) return;
    switch (n.type) {
      case "VariableDeclaration":
        if (n.kind === "var") for (const d of n.declarations) declarePattern(d.id, scope);
        return;
      case "FunctionDeclaration":
        if (!top && n.id) scope.names.add(n.id.name);
        return;
      case "FunctionExpression":
      case "ArrowFunctionExpression":
      case "ClassDeclaration":
      case "ClassExpression":
        return;
      case "BlockStatement":
      case "StaticBlock":
        for (const s of n.body) walk(s, n === node);
        return;
      case "IfStatement":
        walk(n.consequent, false);
        walk(n.alternate, false);
        return;
      case "ForStatement":
        walk(n.init, false);
        walk(n.body, false);
        return;
      case "ForInStatement":
      case "ForOfStatement":
        walk(n.left, false);
        walk(n.body, false);
        return;
      case "WhileStatement":
      case "DoWhileStatement":
      case "LabeledStatement":
        walk(n.body, false);
        return;
      case "TryStatement":
        walk(n.block, false);
        if (n.handler) walk(n.handler.body, false);
        walk(n.finalizer, false);
        return;
      case "SwitchStatement":
        for (const c of n.cases) for (const s of c.consequent) walk(s, false);
        return;
    }
  };
  walk(node, true);
}
