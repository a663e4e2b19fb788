#!/usr/bin/env python3
"""Fails when a crate's top-level modules import each other in a cycle.

Reads every `crates/*/src` tree, takes `crate::m` and `super::m` paths outside comments and
`#[cfg(test)]` blocks as edges between first-level modules, and reports each strongly connected component of
more than one module. A cycle means a shared type sits at the wrong level: move it down.
"""
import os,re,sys
from collections import defaultdict
def modname(root, path):
    rel=os.path.relpath(path, root)[:-3]
    parts=rel.split('/')
    if parts[-1] in ('mod','lib','main'): parts=parts[:-1]
    return '::'.join(parts)
def top(m):  # first-level module
    return m.split('::')[0] if m else ''
found=[]
os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
for crate in sorted(os.listdir('crates')):
    root=f'crates/{crate}/src'
    if not os.path.isdir(root): continue
    edges=defaultdict(set)
    for d,_,fs in os.walk(root):
        for f in fs:
            if not f.endswith('.rs'): continue
            p=os.path.join(d,f); m=modname(root,p)
            text=open(p).read()
            text=text.split('#[cfg(test)]')[0]
            # Comments (doc links such as [`crate::webhook`]) are not imports.
            text='\n'.join(l for l in text.splitlines() if not l.lstrip().startswith('//'))
            for t in re.findall(r'crate::([a-z_0-9]+)', text):
                if t!=top(m): edges[top(m)].add(t)
            if '::' in m or m:
                parent='::'.join(m.split('::')[:-1])
                for t in re.findall(r'super::([a-z_0-9]+)', text):
                    tgt=(parent+'::'+t) if parent else t
                    if top(tgt)!=top(m): edges[top(m)].add(top(tgt))
    # find cycles among top-level modules (SCC)
    idx={};low={};st=[];on=set();res=[];c=[0]
    sys.setrecursionlimit(10000)
    def sc(v):
        idx[v]=low[v]=c[0];c[0]+=1;st.append(v);on.add(v)
        for w in edges.get(v,()):
            if w not in idx: sc(w);low[v]=min(low[v],low[w])
            elif w in on: low[v]=min(low[v],idx[w])
        if low[v]==idx[v]:
            comp=[]
            while True:
                w=st.pop();on.discard(w);comp.append(w)
                if w==v:break
            if len(comp)>1: res.append(comp)
    for v in list(edges):
        if v not in idx: sc(v)
    for comp in res:
        print(crate, 'cycle:', sorted(comp))
        found.append(comp)

if found:
    sys.exit('import cycles found: move the shared types down a level')
print('no import cycles between modules')
