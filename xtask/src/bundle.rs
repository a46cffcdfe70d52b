//! One wasm file per entry route: the page's split module and every chunk it waits for,
//! merged into a single module ([`merge`]), so that landing on `/lapor` fetches and
//! instantiates one file instead of dozens.
//!
//! wasm-split's modules share the main module's memory, function table and stack pointer,
//! which they import; they export nothing and enter the shared table through active element
//! segments (and some place constant data through active data segments). Instantiating a
//! merged module therefore does exactly what instantiating each of its parts does, once. The
//! loader (`split.rs`) makes sure a part is never instantiated twice: while a bundle is in use,
//! each of its parts loads through it.
//!
//! binaryen's `wasm-merge` keeps each input's memory import as a memory of its own, so the
//! merge is done here, over `wasmparser` and `wasm-encoder`'s re-encoder: types are shared,
//! imports of the same name are one import, and every index a part uses is moved to where
//! that part's items now are.

use std::collections::HashMap;

use wasm_encoder::reencode::{Reencode, RoundtripReencoder};
use wasm_encoder::{
    CodeSection, DataCountSection, DataSection, ElementSection, EntityType, GlobalSection,
    ImportSection, Module, TypeSection,
};
use wasmparser::{FuncType, Parser, Payload, TypeRef};

use crate::Result;

/// The parts of one input module the merge needs, as read.
#[derive(Default)]
struct Part<'a> {
    types: Vec<FuncType>,
    imports: Vec<wasmparser::Import<'a>>,
    functions: Vec<u32>,
    globals: Vec<wasmparser::Global<'a>>,
    elements: Vec<wasmparser::Element<'a>>,
    data: Vec<wasmparser::Data<'a>>,
    bodies: Vec<wasmparser::FunctionBody<'a>>,
    data_count: bool,
}

fn read_part(bytes: &[u8]) -> Result<Part<'_>> {
    let err = |e: wasmparser::BinaryReaderError| e.to_string();
    let mut part = Part::default();
    for payload in Parser::new(0).parse_all(bytes) {
        match payload.map_err(err)? {
            Payload::Version { .. } | Payload::End(_) | Payload::CustomSection(_) => {}
            Payload::TypeSection(reader) => {
                for group in reader {
                    for sub in group.map_err(err)?.into_types() {
                        match &sub.composite_type.inner {
                            wasmparser::CompositeInnerType::Func(ty) => part.types.push(ty.clone()),
                            other => {
                                return Err(format!("a type the merge cannot keep: {other:?}"));
                            }
                        }
                    }
                }
            }
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    let import = import.map_err(err)?;
                    if !matches!(
                        import.ty,
                        TypeRef::Memory(_) | TypeRef::Table(_) | TypeRef::Global(_)
                    ) {
                        return Err(format!(
                            "a split module imports {}.{}: only memory, table and globals merge",
                            import.module, import.name
                        ));
                    }
                    part.imports.push(import);
                }
            }
            Payload::FunctionSection(reader) => {
                for ty in reader {
                    part.functions.push(ty.map_err(err)?);
                }
            }
            Payload::GlobalSection(reader) => {
                for global in reader {
                    part.globals.push(global.map_err(err)?);
                }
            }
            Payload::ElementSection(reader) => {
                for element in reader {
                    part.elements.push(element.map_err(err)?);
                }
            }
            Payload::DataSection(reader) => {
                for datum in reader {
                    part.data.push(datum.map_err(err)?);
                }
            }
            Payload::DataCountSection { .. } => part.data_count = true,
            Payload::CodeSectionStart { .. } => {}
            Payload::CodeSectionEntry(body) => part.bodies.push(body),
            other => {
                // Exports, a start function, own tables or memories: a split module has none,
                // and a merge that dropped one would change what the page does.
                return Err(format!(
                    "a split module has a section the merge does not keep: {other:?}"
                ));
            }
        }
    }
    Ok(part)
}

/// Where one part's indices go in the merged module.
struct Remap {
    types: Vec<u32>,
    first_function: u32,
    globals: Vec<u32>,
    tables: Vec<u32>,
    memories: Vec<u32>,
    first_data: u32,
    first_element: u32,
}

/// An index where the merged module has it, or why the part's index is not in it.
type Moved = std::result::Result<u32, wasm_encoder::reencode::Error<String>>;

impl Reencode for Remap {
    type Error = String;

    fn type_index(&mut self, ty: u32) -> Moved {
        index(&self.types, ty, "type")
    }
    fn function_index(&mut self, func: u32) -> Moved {
        Ok(self.first_function + func)
    }
    fn global_index(&mut self, global: u32) -> Moved {
        index(&self.globals, global, "global")
    }
    fn table_index(&mut self, table: u32) -> Moved {
        index(&self.tables, table, "table")
    }
    fn memory_index(&mut self, memory: u32) -> Moved {
        index(&self.memories, memory, "memory")
    }
    fn data_index(&mut self, data: u32) -> Moved {
        Ok(self.first_data + data)
    }
    fn element_index(&mut self, element: u32) -> Moved {
        Ok(self.first_element + element)
    }
}

fn index(map: &[u32], at: u32, what: &str) -> Moved {
    map.get(at as usize).copied().ok_or_else(|| {
        wasm_encoder::reencode::Error::UserError(format!("{what} {at} is not in the module"))
    })
}

fn encode_err(e: wasm_encoder::reencode::Error<String>) -> String {
    format!("re-encoding a split module: {e:?}")
}

/// The shared imports of every part, one entry per (module, name): limits widened to what
/// every part asks of the same memory or table (the importer's memory satisfies each of them,
/// so it satisfies the widest), a global's type the same in every part.
fn shared_imports<'a>(parts: &[Part<'a>]) -> Result<Vec<wasmparser::Import<'a>>> {
    let mut merged: Vec<wasmparser::Import<'a>> = Vec::new();
    for import in parts.iter().flat_map(|part| &part.imports) {
        let Some(seen) = merged
            .iter_mut()
            .find(|m| m.module == import.module && m.name == import.name)
        else {
            merged.push(*import);
            continue;
        };
        seen.ty = match (seen.ty, import.ty) {
            (TypeRef::Memory(mut a), TypeRef::Memory(b))
                if a.memory64 == b.memory64 && a.shared == b.shared =>
            {
                a.initial = a.initial.max(b.initial);
                a.maximum = narrower(a.maximum, b.maximum);
                TypeRef::Memory(a)
            }
            (TypeRef::Table(mut a), TypeRef::Table(b))
                if a.element_type == b.element_type && a.table64 == b.table64 =>
            {
                a.initial = a.initial.max(b.initial);
                a.maximum = narrower(a.maximum, b.maximum);
                TypeRef::Table(a)
            }
            (TypeRef::Global(a), TypeRef::Global(b)) if a == b => TypeRef::Global(a),
            (a, b) => {
                return Err(format!(
                    "{}.{} is imported as {a:?} and as {b:?}",
                    import.module, import.name
                ));
            }
        };
    }
    Ok(merged)
}

fn val_types(
    roundtrip: &mut RoundtripReencoder,
    types: &[wasmparser::ValType],
) -> Result<Vec<wasm_encoder::ValType>> {
    types
        .iter()
        .map(|v| roundtrip.val_type(*v).map_err(|e| format!("{e:?}")))
        .collect()
}

fn narrower(a: Option<u64>, b: Option<u64>) -> Option<u64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// One module that, instantiated with the same imports, does what instantiating each of
/// `modules` does.
pub fn merge(modules: &[&[u8]]) -> Result<Vec<u8>> {
    let parts = modules
        .iter()
        .map(|bytes| read_part(bytes))
        .collect::<Result<Vec<_>>>()?;
    let imports = shared_imports(&parts)?;
    let position = |kind: fn(&TypeRef) -> bool, module: &str, name: &str| -> u32 {
        imports
            .iter()
            .filter(|i| kind(&i.ty))
            .position(|i| i.module == module && i.name == name)
            .expect("every part's import is among the shared ones") as u32
    };
    let is_global = |t: &TypeRef| matches!(t, TypeRef::Global(_));
    let is_table = |t: &TypeRef| matches!(t, TypeRef::Table(_));
    let is_memory = |t: &TypeRef| matches!(t, TypeRef::Memory(_));
    let imported_globals = imports.iter().filter(|i| is_global(&i.ty)).count() as u32;

    let mut type_section = TypeSection::new();
    let mut type_of: HashMap<FuncType, u32> = HashMap::new();
    let mut import_section = ImportSection::new();
    let mut functions = wasm_encoder::FunctionSection::new();
    let mut globals = GlobalSection::new();
    let mut elements = ElementSection::new();
    let mut data = DataSection::new();
    let mut code = CodeSection::new();
    let mut roundtrip = RoundtripReencoder;

    for import in &imports {
        let ty: EntityType = roundtrip
            .entity_type(import.ty)
            .map_err(|e| format!("{e:?}"))?;
        import_section.import(import.module, import.name, ty);
    }

    let (mut functions_before, mut globals_before, mut data_before, mut elements_before) =
        (0u32, imported_globals, 0u32, 0u32);
    let mut data_count = false;
    for part in &parts {
        let mut types = Vec::with_capacity(part.types.len());
        for ty in &part.types {
            let at = match type_of.get(ty) {
                Some(at) => *at,
                None => {
                    let at = type_of.len() as u32;
                    let params = val_types(&mut roundtrip, ty.params())?;
                    let results = val_types(&mut roundtrip, ty.results())?;
                    type_section.ty().function(params, results);
                    type_of.insert(ty.clone(), at);
                    at
                }
            };
            types.push(at);
        }
        let (mut part_globals, mut tables, mut memories) = (Vec::new(), Vec::new(), Vec::new());
        for import in &part.imports {
            match import.ty {
                TypeRef::Global(_) => {
                    part_globals.push(position(is_global, import.module, import.name))
                }
                TypeRef::Table(_) => tables.push(position(is_table, import.module, import.name)),
                TypeRef::Memory(_) => {
                    memories.push(position(is_memory, import.module, import.name))
                }
                _ => unreachable!("read_part refuses other imports"),
            }
        }
        part_globals.extend((0..part.globals.len() as u32).map(|g| globals_before + g));
        let mut remap = Remap {
            types,
            first_function: functions_before,
            globals: part_globals,
            tables,
            memories,
            first_data: data_before,
            first_element: elements_before,
        };
        for ty in &part.functions {
            functions.function(remap.type_index(*ty).map_err(encode_err)?);
        }
        for global in &part.globals {
            remap
                .parse_global(&mut globals, global.clone())
                .map_err(encode_err)?;
        }
        for element in &part.elements {
            remap
                .parse_element(&mut elements, element.clone())
                .map_err(encode_err)?;
        }
        for datum in &part.data {
            remap
                .parse_data(&mut data, datum.clone())
                .map_err(encode_err)?;
        }
        for body in &part.bodies {
            remap
                .parse_function_body(&mut code, body.clone())
                .map_err(encode_err)?;
        }
        if part.bodies.len() != part.functions.len() {
            return Err("a split module's code does not match its functions".into());
        }
        functions_before += part.functions.len() as u32;
        globals_before += part.globals.len() as u32;
        data_before += part.data.len() as u32;
        elements_before += part.elements.len() as u32;
        data_count |= part.data_count;
    }

    let mut module = Module::new();
    if !type_section.is_empty() {
        module.section(&type_section);
    }
    module.section(&import_section);
    if !functions.is_empty() {
        module.section(&functions);
    }
    if !globals.is_empty() {
        module.section(&globals);
    }
    if !elements.is_empty() {
        module.section(&elements);
    }
    if data_count {
        module.section(&DataCountSection { count: data_before });
    }
    if !code.is_empty() {
        module.section(&code);
    }
    if !data.is_empty() {
        module.section(&data);
    }
    let bytes = module.finish();
    wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all())
        .validate_all(&bytes)
        .map_err(|e| format!("the merged module is not valid wasm: {e}"))?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_encoder::{
        ConstExpr, Elements, Function, FunctionSection, GlobalType, Instruction, MemoryType,
        RefType, TableType, ValType,
    };

    /// A split module in miniature: imports from `__wasm_split` in the order given, `funcs`
    /// functions of type (i32) -> i32 each calling the next and reading the stack pointer,
    /// entered into the table at `slot` and one data segment at `address`.
    fn split_module(
        imports: &[&str],
        funcs: u32,
        slot: i32,
        address: i32,
        extra_type: bool,
    ) -> Vec<u8> {
        let mut types = TypeSection::new();
        if extra_type {
            types.ty().function([], []);
        }
        types.ty().function([ValType::I32], [ValType::I32]);
        let ty = u32::from(extra_type);
        let mut import_section = ImportSection::new();
        for name in imports {
            let entity: EntityType = match *name {
                "memory" => MemoryType {
                    minimum: 17,
                    maximum: None,
                    memory64: false,
                    shared: false,
                    page_size_log2: None,
                }
                .into(),
                "__indirect_function_table" => TableType {
                    element_type: RefType::FUNCREF,
                    minimum: 100,
                    maximum: None,
                    table64: false,
                    shared: false,
                }
                .into(),
                _ => GlobalType {
                    val_type: ValType::I32,
                    mutable: true,
                    shared: false,
                }
                .into(),
            };
            import_section.import("__wasm_split", name, entity);
        }
        // The only global import: index 0 of the globals wherever it is among the imports.
        let stack = 0;
        let mut functions = FunctionSection::new();
        let mut code = CodeSection::new();
        for f in 0..funcs {
            functions.function(ty);
            let mut body = Function::new([]);
            body.instruction(&Instruction::GlobalGet(stack));
            body.instruction(&Instruction::LocalGet(0));
            body.instruction(&Instruction::I32Add);
            if f + 1 < funcs {
                body.instruction(&Instruction::Call(f + 1));
            }
            body.instruction(&Instruction::End);
            code.function(&body);
        }
        let mut elements = ElementSection::new();
        let slots: Vec<u32> = (0..funcs).collect();
        elements.active(
            None,
            &ConstExpr::i32_const(slot),
            Elements::Functions(slots.into()),
        );
        let mut data = DataSection::new();
        data.active(0, &ConstExpr::i32_const(address), b"lapor".iter().copied());
        let mut module = Module::new();
        module
            .section(&types)
            .section(&import_section)
            .section(&functions);
        module.section(&elements).section(&code).section(&data);
        module.finish()
    }

    /// A part importing memory, table and stack pointer in wasm-split's usual order.
    fn usual_part(funcs: u32, slot: i32, address: i32) -> Vec<u8> {
        let imports = [
            "memory",
            "__indirect_function_table",
            "__wasm_split_shared0",
        ];
        split_module(&imports, funcs, slot, address, false)
    }

    /// What the merged module holds, read back.
    struct Read {
        imports: Vec<String>,
        types: usize,
        functions: usize,
        table_entries: Vec<(i32, Vec<u32>)>,
        calls: Vec<u32>,
        global_gets: Vec<u32>,
        data_at: Vec<i32>,
    }

    fn read(bytes: &[u8]) -> Read {
        let mut out = Read {
            imports: vec![],
            types: 0,
            functions: 0,
            table_entries: vec![],
            calls: vec![],
            global_gets: vec![],
            data_at: vec![],
        };
        let offset =
            |expr: &wasmparser::ConstExpr| match expr.get_operators_reader().read().unwrap() {
                wasmparser::Operator::I32Const { value } => value,
                other => panic!("{other:?}"),
            };
        for payload in Parser::new(0).parse_all(bytes) {
            match payload.unwrap() {
                Payload::ImportSection(r) => {
                    out.imports = r
                        .into_imports()
                        .map(|i| i.unwrap().name.to_owned())
                        .collect()
                }
                Payload::TypeSection(r) => out.types = r.count() as usize,
                Payload::FunctionSection(r) => out.functions = r.count() as usize,
                Payload::ElementSection(r) => {
                    for e in r {
                        let e = e.unwrap();
                        let wasmparser::ElementKind::Active { offset_expr, .. } = e.kind else {
                            panic!()
                        };
                        let wasmparser::ElementItems::Functions(items) = e.items else {
                            panic!()
                        };
                        out.table_entries.push((
                            offset(&offset_expr),
                            items.into_iter().map(|i| i.unwrap()).collect(),
                        ));
                    }
                }
                Payload::DataSection(r) => {
                    for d in r {
                        let wasmparser::DataKind::Active { offset_expr, .. } = d.unwrap().kind
                        else {
                            panic!()
                        };
                        out.data_at.push(offset(&offset_expr));
                    }
                }
                Payload::CodeSectionEntry(body) => {
                    for op in body.get_operators_reader().unwrap() {
                        match op.unwrap() {
                            wasmparser::Operator::Call { function_index } => {
                                out.calls.push(function_index)
                            }
                            wasmparser::Operator::GlobalGet { global_index } => {
                                out.global_gets.push(global_index)
                            }
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        out
    }

    #[test]
    fn merged_parts_keep_their_table_slots_data_and_calls() {
        let one = usual_part(2, 10, 1024);
        // Another order, and a type the first part does not have.
        let two = split_module(
            &[
                "__wasm_split_shared0",
                "memory",
                "__indirect_function_table",
            ],
            3,
            20,
            2048,
            true,
        );
        let merged = merge(&[&one, &two]).unwrap();
        let read = read(&merged);
        // One import per shared name; one type per distinct signature.
        assert_eq!(
            read.imports,
            [
                "memory",
                "__indirect_function_table",
                "__wasm_split_shared0"
            ]
        );
        assert_eq!(read.types, 2);
        assert_eq!(read.functions, 5);
        // Each part's functions enter the table at the part's own slots, by their new indices.
        assert_eq!(read.table_entries, [(10, vec![0, 1]), (20, vec![2, 3, 4])]);
        // Calls stay inside their part; every part reads the one shared stack pointer.
        assert_eq!(read.calls, [1, 3, 4]);
        assert_eq!(read.global_gets, [0; 5]);
        assert_eq!(read.data_at, [1024, 2048]);
    }

    #[test]
    fn one_part_merges_to_itself_in_effect() {
        let one = usual_part(2, 10, 1024);
        let read = read(&merge(&[&one]).unwrap());
        assert_eq!(read.table_entries, [(10, vec![0, 1])]);
        assert_eq!(read.calls, [1]);
    }

    #[test]
    fn what_cannot_be_merged_faithfully_is_refused() {
        // A memory of its own (like an export or a start function) would need more than
        // re-indexing.
        let mut module = Module::new();
        let mut memories = wasm_encoder::MemorySection::new();
        memories.memory(MemoryType {
            minimum: 1,
            maximum: None,
            memory64: false,
            shared: false,
            page_size_log2: None,
        });
        module.section(&memories);
        let own_memory = module.finish();
        let error = merge(&[&own_memory]).unwrap_err();
        assert!(error.contains("does not keep"), "{error}");

        let one = usual_part(1, 0, 0);
        // The same global imported as immutable by another part.
        let mut imports = ImportSection::new();
        let immutable = GlobalType {
            val_type: ValType::I32,
            mutable: false,
            shared: false,
        };
        imports.import("__wasm_split", "__wasm_split_shared0", immutable);
        let mut module = Module::new();
        module.section(&imports);
        let other_global = module.finish();
        let error = merge(&[&one, &other_global]).unwrap_err();
        assert!(error.contains("__wasm_split_shared0"), "{error}");
    }
}
