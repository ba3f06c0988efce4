import type { StatusIcon as IconName } from '@/lib/kubevirt/status';

// Small inline icons: shape as well as colour tells the status apart (colour alone fails colour-blind users).
export function StatusIcon({ icon, className = 'h-4 w-4' }: { icon: IconName; className?: string }) {
  const common = { className, viewBox: '0 0 16 16', 'aria-hidden': true, fill: 'currentColor' } as const;
  switch (icon) {
    case 'running':
      return (
        <svg {...common}>
          <circle cx="8" cy="8" r="7" />
          <path d="M6 4.5v7l5.5-3.5z" fill="white" />
        </svg>
      );
    case 'spinner':
      return (
        <svg {...common} className={`${className} portal-spin`}>
          <path d="M8 1a7 7 0 1 0 7 7h-2a5 5 0 1 1-5-5z" />
        </svg>
      );
    case 'pause':
      return (
        <svg {...common}>
          <circle cx="8" cy="8" r="7" />
          <rect x="5" y="4.5" width="2" height="7" fill="white" />
          <rect x="9" y="4.5" width="2" height="7" fill="white" />
        </svg>
      );
    case 'stopped':
      return (
        <svg {...common}>
          <circle cx="8" cy="8" r="7" />
          <rect x="5" y="5" width="6" height="6" fill="white" />
        </svg>
      );
    case 'error':
      return (
        <svg {...common}>
          <path d="M8 1l7 13H1z" />
          <rect x="7.25" y="5.5" width="1.5" height="4.5" fill="white" />
          <rect x="7.25" y="11" width="1.5" height="1.5" fill="white" />
        </svg>
      );
    case 'migrate':
      return (
        <svg {...common}>
          <path d="M2 5h9V2.5L15 6l-4 3.5V7H2zM14 11H5V8.5L1 12l4 3.5V13h9z" />
        </svg>
      );
    default:
      return (
        <svg {...common}>
          <circle cx="8" cy="8" r="7" />
          <text x="8" y="12" fontSize="10" textAnchor="middle" fill="white">
            ?
          </text>
        </svg>
      );
  }
}
