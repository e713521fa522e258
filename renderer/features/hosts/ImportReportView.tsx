import type { ReactNode } from 'react';
import type { ImportReport } from '../../../shared/contract.js';

type NotApplied = ImportReport['notApplied'][number];

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function byHost(items: NotApplied[]): [string, NotApplied[]][] {
  const groups = new Map<string, NotApplied[]>();
  for (const item of items) groups.set(item.host, [...(groups.get(item.host) ?? []), item]);
  return [...groups];
}

function Section({ title, testId, children }: { title: string; testId: string; children: ReactNode }) {
  return (
    <section className="report-section" data-testid={testId}>
      <h3>{title}</h3>
      {children}
    </section>
  );
}

/** What an ssh_config import did, all of it: hosts created and updated, what was skipped or not applied and why, config problems. */
export function ImportReportView({ report, groupName }: { report: ImportReport; groupName: string | undefined }) {
  const { created, updated, skipped, notApplied, problems } = report;
  return (
    <div className="import-report" data-testid="import-report">
      <p>
        {plural(created.length, 'host')} created, {updated.length} updated, {plural(report.tunnelsAdded, 'tunnel')} added
        {groupName && (
          <>
            {' '}
            in the group <strong>{groupName}</strong>
          </>
        )}
        .{skipped.length > 0 && ` ${plural(skipped.length, 'host')} skipped.`}
      </p>
      {created.length + updated.length + skipped.length === 0 && (
        <p className="warning" data-testid="import-empty">
          No host found: the file is empty, has only wildcard <code>Host</code> patterns, or does not exist on the machine Warren runs on.
        </p>
      )}
      {created.length > 0 && (
        <Section title="Created" testId="import-created">
          <NameList names={created} />
        </Section>
      )}
      {updated.length > 0 && (
        <Section title="Updated" testId="import-updated">
          <NameList names={updated} />
        </Section>
      )}
      {skipped.length > 0 && (
        <Section title="Skipped" testId="import-skipped">
          <ReportTable columns={2}>
            {skipped.map(({ host, why }) => (
              <ReportRow key={host} cells={[<code>{host}</code>, why]} />
            ))}
          </ReportTable>
        </Section>
      )}
      {notApplied.length > 0 && (
        <Section title={`Not applied (${notApplied.length})`} testId="import-not-applied">
          <p className="muted">Set for these hosts in the config, but not used by Warren:</p>
          {byHost(notApplied).map(([host, items]) => (
            <div key={host} className="report-host">
              <h4>{host}</h4>
              <ReportTable columns={3}>
                {items.map((n, i) => (
                  <ReportRow
                    key={i}
                    cells={[<code>{n.keyword}</code>, <code>{n.value}</code>, n.why]}
                    data-testid="not-applied"
                    data-host={n.host}
                    data-keyword={n.keyword}
                  />
                ))}
              </ReportTable>
            </div>
          ))}
        </Section>
      )}
      {problems.length > 0 && (
        <Section title={`Problems in the config (${problems.length})`} testId="import-problems">
          <ReportTable columns={2}>
            {problems.map((p, i) => (
              <ReportRow key={i} cells={[<code>{`${p.file}:${p.line}`}</code>, p.message]} data-testid="config-problem" />
            ))}
          </ReportTable>
        </Section>
      )}
    </div>
  );
}

/** Rows whose columns line up across the table; a long value wraps inside its column instead of widening the dialog. */
function ReportTable({ columns, children }: { columns: 2 | 3; children: ReactNode }) {
  return (
    <div className={`report-table report-cols-${columns}`} role="table">
      {children}
    </div>
  );
}

function ReportRow({ cells, ...data }: { cells: ReactNode[] } & Record<`data-${string}`, string>) {
  return (
    <div className="report-row" role="row" {...data}>
      {cells.map((cell, i) => (
        <div key={i} role="cell">
          {cell}
        </div>
      ))}
    </div>
  );
}

function NameList({ names }: { names: string[] }) {
  return (
    <ul className="name-list">
      {names.map((name) => (
        <li key={name}>{name}</li>
      ))}
    </ul>
  );
}
