/** The loading screen: the first paint, so it has a module of its own (the other states load later). */
import { Skeleton, SkeletonItem, makeStyles } from '@fluentui/react-components';

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: '16px', padding: '16px', maxWidth: '720px' },
  row: { display: 'flex', gap: '12px', alignItems: 'center' },
});

export function LoadingState() {
  const s = useStyles();
  return (
    <main className={s.page} aria-busy="true" aria-label="Loading your delegates">
      <Skeleton aria-label="Loading your delegates">
        {[0, 1, 2].map((i) => (
          <div key={i} className={s.row}>
            <SkeletonItem shape="circle" size={48} />
            <SkeletonItem shape="rectangle" size={24} style={{ width: '60%' }} />
          </div>
        ))}
      </Skeleton>
    </main>
  );
}
