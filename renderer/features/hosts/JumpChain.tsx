import { isHop, type ChainHop } from './jumpHops.js';

interface JumpChainProps {
  hops: ChainHop[];
  /** the last step: the host the chain leads to */
  target: string;
  /** the hop a connection failed at (`error.detail.hop`): red, and what lies beyond it dimmed */
  failing?: string;
}

type HopState = 'ok' | 'failed' | 'unreached';

const Arrow = () => <span className="chain-arrow">→</span>;

/** "you → bastion → bastion2 → this host"; saved hosts show their address on hover. */
export function JumpChain({ hops, target, failing }: JumpChainProps) {
  const failedAt = failing === undefined ? -1 : hops.findIndex((hop) => isHop(hop, failing));
  const state = (i: number): HopState => (failedAt < 0 || i < failedAt ? 'ok' : i === failedAt ? 'failed' : 'unreached');
  return (
    <ol className="jump-chain" data-testid="jump-chain" aria-label="Jump chain">
      <li className="chain-end">you</li>
      {hops.map((hop, i) => (
        <li key={`${i}-${hop.name}`}>
          <Arrow />
          <span
            className={`chain-hop chain-${state(i)}${hop.host ? ' chain-saved' : ''}`}
            data-testid="chain-hop"
            data-state={state(i)}
            title={hop.host ? `saved host ${hop.host.name}: ${hop.address}` : `${hop.address} (not a saved host)`}
          >
            {hop.name}
          </span>
        </li>
      ))}
      <li className={failedAt >= 0 ? 'chain-end chain-unreached' : 'chain-end'}>
        <Arrow />
        {target}
      </li>
    </ol>
  );
}
